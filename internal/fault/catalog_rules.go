package fault

import "maps"

// rulesCatalog is the English of issue 17's keys (approver groups, rules,
// stages), kept in a file of its own while other work adds to Catalog in
// parallel; init folds it into Catalog, where every lookup reads.
var rulesCatalog = map[string]string{
	// orders: approver groups.
	"group.not_found":           "There is no such group.",
	"group.admins_only":         "Only admins keep approver groups.",
	"group.name.invalid":        "Name the group with lower-case letters, digits, '.', '_' or '-' (at most 40), as rules will write it.",
	"group.name.taken":          "There is already a group of that name.",
	"group.in_use":              "Group {name} is named by a rule's stage; change that rule first.",
	"group.member.no_such_user": "No user is called {name}.",

	// orders: approval rules.
	"rule.not_found":          "There is no such rule.",
	"rule.name.missing":       "Name the rule, so orders can say which rule they are held to.",
	"rule.condition.missing":  "Write the condition, such as estimate_cny > 10000.",
	"rule.condition.invalid":  "The condition is not valid CEL over the order: {detail}",
	"rule.condition.not_bool": "The condition must be true or false; this one gives {type}.",
	"rule.eval_failed":        "Rule {rule} could not be evaluated for this order; ask an admin to correct it.",
	"rule.stages.range":       "Give the rule between 1 and {max} stages.",
	"rule.stages.count":       "Each stage needs between 1 and {max} approvers.",
	"rule.stages.no_group":    "A stage names a group that does not exist.",
	"rule.valid_for.range":    "An approval stays valid between 1 minute and 365 days, or leave it empty.",
	"rule.too_many":           "A policy holds at most {max} rules.",
	"rule.test.no_order":      "There is no such order to test the rule on.",

	// orders: deciding under a rule.
	"rule.decide.admins_excluded": "This order's rule excludes admins from approving it.",
	"rule.decide.same_group":      "This order's rule keeps the requester's own group ({group}) from approving it.",
	"rule.decide.not_in_group":    "This stage waits for someone from {group}.",
}

func init() {
	maps.Copy(Catalog, rulesCatalog)
}
