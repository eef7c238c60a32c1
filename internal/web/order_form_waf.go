package web

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// Limits on rows a form may hold: far above any real order, low enough that
// a hostile form cannot make the server build a huge page.
const (
	maxGoodsRows = 50
	maxLabelRows = 20
)

// wafForm is the WAF GenerateDealsAndPayNew form.
type wafForm struct {
	templates.WAFForm
	// typeRow and countRow map, per Goods entry, the index of a LabelTypes
	// or LabelCounts element to the label row it came from (empty rows are
	// skipped, so they can differ). Set by request.
	typeRow, countRow [][]int
}

// newWAF is a blank form with one entry, a SaaS premium edition to start from.
func newWAF() *wafForm {
	w := &wafForm{}
	w.Rows = []templates.WAFRow{newWAFRow()}
	w.edit(formOp{name: "apply_preset", args: []int{0}})
	return w
}

func newWAFRow() templates.WAFRow {
	return templates.WAFRow{Edition: string(orders.WAFPremium), Flavor: string(orders.WAFSaaS), Kind: string(orders.WAFNew),
		GoodsNum: "1", TimeSpan: "1", TimeUnit: "m"}
}

func parseWAF(raw url.Values) *wafForm {
	vals := formValues(raw)
	w := &wafForm{}
	w.Region = vals.get("Region")
	// Rows are numbered from 0 without gaps (the page renders them so);
	// GoodsNum is always rendered, so its presence marks a row.
	for i := 0; i < maxGoodsRows && vals.has(templates.WAFRowID(i, "GoodsNum")); i++ {
		id := func(f string) string { return vals.get(templates.WAFRowID(i, f)) }
		r := templates.WAFRow{
			Edition: id("edition"), Flavor: id("flavor"), Kind: id("kind"), Applied: id("applied"),
			GoodsNum: id("GoodsNum"), GoodsCategoryID: id("GoodsCategoryId"), RegionID: id("RegionId"),
			TimeSpan: id("TimeSpan"), TimeUnit: id("TimeUnit"), SubProductCode: id("SubProductCode"), Pid: id("Pid"),
			InstanceName: id("InstanceName"), AutoRenewFlag: id("AutoRenewFlag"), RealRegion: id("RealRegion"),
			CurDeadline: id("CurDeadline"), InstanceID: id("InstanceId"), ResourceID: id("ResourceId"), MicroVersion: id("MicroVersion"),
		}
		for j := 0; j < maxLabelRows && vals.has(templates.WAFLabelID(i, j, "type")); j++ {
			r.Labels = append(r.Labels, templates.WAFLabel{
				Type: vals.get(templates.WAFLabelID(i, j, "type")), Count: vals.get(templates.WAFLabelID(i, j, "count"))})
		}
		w.Rows = append(w.Rows, r)
	}
	return w
}

// wafFrom fills the form from a stored request. An entry whose codes are
// exactly a preset's shows that preset; any other shows custom codes.
func wafFrom(req *tcapi.GenerateDealsAndPayNewRequest) *wafForm {
	w := &wafForm{}
	w.Region = req.Region
	for _, g := range req.Goods {
		d := g.GoodsDetail
		if d == nil {
			d = &tcapi.GoodsDetailNew{}
		}
		r := templates.WAFRow{
			GoodsNum: i64s(g.GoodsNum), GoodsCategoryID: i64s(g.GoodsCategoryId), RegionID: i64s(g.RegionId),
			TimeSpan: i64s(d.TimeSpan), TimeUnit: tcapi.Deref(d.TimeUnit), SubProductCode: tcapi.Deref(d.SubProductCode),
			Pid: i64s(d.Pid), InstanceName: tcapi.Deref(d.InstanceName), AutoRenewFlag: i64s(d.AutoRenewFlag),
			RealRegion: i64s(d.RealRegion), CurDeadline: tcapi.Deref(d.CurDeadline), InstanceID: tcapi.Deref(d.InstanceId),
			ResourceID: tcapi.Deref(d.ResourceId), MicroVersion: tcapi.Deref(d.MicroVersion),
		}
		for j := 0; j < max(len(d.LabelTypes), len(d.LabelCounts)); j++ {
			var l templates.WAFLabel
			if j < len(d.LabelTypes) {
				l.Type = d.LabelTypes[j]
			}
			if j < len(d.LabelCounts) {
				l.Count = strconv.FormatInt(d.LabelCounts[j], 10)
			}
			r.Labels = append(r.Labels, l)
		}
		if key, p, ok := matchingPreset(r); ok {
			parts := strings.Split(key, "/")
			r.Flavor, r.Edition, r.Kind, r.Applied = parts[0], parts[1], parts[2], key
			r.NeedsInstanceID, r.NeedsCurDeadline = p.NeedsInstanceID, p.NeedsCurDeadline
		}
		w.Rows = append(w.Rows, r)
	}
	w.reindex()
	return w
}

// The preset choices, in the order the form offers them, named as Tencent
// Cloud's console names them (the summary's words for the editions).
var (
	wafEditions = []word{
		{"", "order_form_words.waf_custom_codes"},
		{string(orders.WAFPremium), "summary.waf.premium"},
		{string(orders.WAFEnterprise), "summary.waf.enterprise"},
		{string(orders.WAFUltimate), "summary.waf.ultimate"},
		{string(orders.WAFDomainPack), "summary.waf.domain"},
		{string(orders.WAFQPSPack), "summary.waf.qps"},
		{string(orders.WAFBot), "order_form_words.waf_bot_addon"},
		{string(orders.WAFAPISecurity), "order_form_words.waf_api_addon"},
	}
	wafFlavors = []word{
		{string(orders.WAFSaaS), "order_form_words.waf_saas_dns"},
		{string(orders.WAFCLB), "order_form_words.waf_clb_lb"},
	}
	wafKinds = []word{
		{string(orders.WAFNew), "order_form_words.deal_purchase"},
		{string(orders.WAFRenew), "order_form_words.deal_renew"},
		{string(orders.WAFModify), "order_form_words.deal_change_config"},
	}
)

// wordOf is the label key of a value among words, "" when none names it.
func wordOf(ws []word, value string) string {
	for _, w := range ws {
		if w.value == value {
			return w.key
		}
	}
	return ""
}

// presetName names a preset key in the reader's words: "Premium edition,
// SaaS WAF (traffic through DNS), New purchase".
func presetName(l *i18n.Localizer, key string) string {
	parts := strings.Split(key, "/")
	if len(parts) < 3 {
		return ""
	}
	var names []string
	for i, ws := range [][]word{wafEditions, wafFlavors, wafKinds} {
		if k := wordOf(ws, parts[[]int{1, 0, 2}[i]]); k != "" {
			names = append(names, l.T(k))
		}
	}
	return strings.Join(names, l.T("order_form_words.list_separator"))
}

// wafLabelWords name what a billing label counts, by its code without the
// "_clb" and "_intl" suffixes (orders' preset table adds those). A label
// not named here keeps its code in the entry's main part: the "Other" path.
var wafLabelWords = map[string]string{
	"sv_wsm_waf_package_premium":    "order_form_words.waf_label_premium",
	"sv_wsm_waf_package_enterprise": "order_form_words.waf_label_enterprise",
	"sv_wsm_waf_package_ultimate":   "order_form_words.waf_label_ultimate",
	"sv_wsm_waf_domain":             "order_form_words.waf_label_domain",
	"sv_wsm_waf_qps_ep":             "order_form_words.waf_label_qps",
}

// wafLabelWord is the catalog key naming a label code, "" when none does.
func wafLabelWord(code string) string {
	base := strings.TrimSuffix(code, "_intl")
	base = strings.TrimSuffix(base, "_clb")
	return wafLabelWords[base]
}

// namedLabels names each label a catalog word knows, on a copy.
func namedLabels(l *i18n.Localizer, labels []templates.WAFLabel) []templates.WAFLabel {
	out := slices.Clone(labels)
	for j := range out {
		if key := wafLabelWord(out[j].Type); key != "" {
			out[j].Name = l.T(key)
		}
	}
	return out
}

// wafRealRegionCodes are the RealRegion codes' regions, named by the
// summary's region words.
var wafRealRegionCodes = map[int64]string{
	1: "ap-guangzhou", 4: "ap-shanghai", 8: "ap-beijing", 16: "ap-chengdu", 5: "ap-hongkong", 9: "ap-singapore",
	23: "ap-bangkok", 18: "ap-seoul", 21: "ap-mumbai", 17: "eu-frankfurt", 6: "na-toronto", 22: "na-ashburn",
	43: "sa-saopaulo", 51: "na-siliconvalley", 72: "ap-jakarta",
}

// presetKey names a row's preset choice: "saas/premium/new", with "/intl"
// when the row is sold outside the mainland (which changes the editions'
// labels). "" means custom codes.
func presetKey(r templates.WAFRow) string {
	if r.Edition == "" {
		return ""
	}
	key := r.Flavor + "/" + r.Edition + "/" + r.Kind
	if r.RegionID == strconv.Itoa(orders.WAFRegionOutside) {
		key += "/intl"
	}
	return key
}

func lookupPresetKey(key string) (orders.WAFPreset, bool) {
	parts := strings.Split(key, "/")
	if len(parts) < 3 || len(parts) > 4 || (len(parts) == 4 && parts[3] != "intl") {
		return orders.WAFPreset{}, false
	}
	region := int64(orders.WAFRegionMainland)
	if len(parts) == 4 {
		region = orders.WAFRegionOutside
	}
	p, err := orders.LookupWAFPreset(orders.WAFFlavor(parts[0]), orders.WAFEdition(parts[1]), orders.WAFKind(parts[2]), region)
	return p, err == nil
}

// matchingPreset finds the preset whose codes a row holds exactly.
func matchingPreset(r templates.WAFRow) (string, orders.WAFPreset, bool) {
	for _, fl := range wafFlavors {
		for _, ed := range wafEditions[1:] {
			for _, k := range wafKinds {
				probe := r
				probe.Flavor, probe.Edition, probe.Kind = fl.value, ed.value, k.value
				key := presetKey(probe)
				if p, ok := lookupPresetKey(key); ok && codesAre(r, p) {
					return key, p, true
				}
			}
		}
	}
	return "", orders.WAFPreset{}, false
}

// codesAre reports whether a row holds exactly a preset's codes.
func codesAre(r templates.WAFRow, p orders.WAFPreset) bool {
	var types []string
	for _, l := range r.Labels {
		if l.Type != "" {
			types = append(types, l.Type)
		}
	}
	return r.GoodsCategoryID == strconv.FormatInt(p.GoodsCategoryID, 10) && r.Pid == strconv.FormatInt(p.Pid, 10) &&
		r.SubProductCode == p.SubProductCode && slices.Equal(types, p.LabelTypes)
}

func noCodes(r templates.WAFRow) bool {
	for _, l := range r.Labels {
		if l.Type != "" {
			return false
		}
	}
	return r.GoodsCategoryID == "" && r.Pid == "" && r.SubProductCode == ""
}

// fillPreset puts a preset's codes into a row, keeping the counts typed.
func fillPreset(r *templates.WAFRow, p orders.WAFPreset) {
	r.GoodsCategoryID = strconv.FormatInt(p.GoodsCategoryID, 10)
	r.Pid = strconv.FormatInt(p.Pid, 10)
	r.SubProductCode = p.SubProductCode
	var labels []templates.WAFLabel
	for j, t := range p.LabelTypes {
		count := "1"
		if j < len(r.Labels) && r.Labels[j].Count != "" {
			count = r.Labels[j].Count
		}
		labels = append(labels, templates.WAFLabel{Type: t, Count: count})
	}
	r.Labels = labels
}

// edit runs a row button, then the preset rule on every row:
//
//   - "Apply preset" always puts the preset's codes into its row.
//   - Otherwise a row whose preset changed gets the new preset's codes if its
//     codes are still exactly what the previous preset put there (or empty).
//     If they were edited by hand they are kept, and saving is refused until
//     the person applies the preset or chooses custom codes: nobody ends up
//     with codes other than the ones they last saw.
//   - A row whose codes no longer match its unchanged preset was edited by
//     hand: it shows "custom codes" from now on.
func (w *wafForm) edit(op formOp) map[string]string {
	force := -1
	switch op.name {
	case "add_goods":
		if len(w.Rows) < maxGoodsRows {
			w.Rows = append(w.Rows, newWAFRow())
			force = len(w.Rows) - 1
		}
	case "remove_goods":
		if i := op.arg(0); i >= 0 && i < len(w.Rows) {
			w.Rows = slices.Delete(w.Rows, i, i+1)
		}
	case "apply_preset":
		force = op.arg(0)
	case "add_label":
		if i := op.arg(0); i >= 0 && i < len(w.Rows) && len(w.Rows[i].Labels) < maxLabelRows {
			w.Rows[i].Labels = append(w.Rows[i].Labels, templates.WAFLabel{})
		}
	case "remove_label":
		if i, j := op.arg(0), op.arg(1); i >= 0 && i < len(w.Rows) && j >= 0 && j < len(w.Rows[i].Labels) {
			w.Rows[i].Labels = slices.Delete(w.Rows[i].Labels, j, j+1)
		}
	}
	w.reindex()
	blocking := map[string]string{}
	for i := range w.Rows {
		r := &w.Rows[i]
		key := presetKey(*r)
		if key == "" {
			r.Applied = ""
			continue
		}
		p, ok := lookupPresetKey(key)
		if !ok {
			blocking[r.ID("preset")] = "order_form_words.waf_no_such_preset"
			continue
		}
		r.NeedsInstanceID, r.NeedsCurDeadline = p.NeedsInstanceID, p.NeedsCurDeadline
		prev, known := lookupPresetKey(r.Applied)
		switch {
		case i == force:
			fillPreset(r, p)
			r.Applied = key
			r.Note = "order_form_words.waf_note_filled"
		case key == r.Applied:
			if !codesAre(*r, p) {
				r.Edition, r.Applied = "", ""
				r.NeedsInstanceID, r.NeedsCurDeadline = false, false
				r.Note = "order_form_words.waf_note_custom"
			}
		case (known && codesAre(*r, prev)) || (!known && noCodes(*r)):
			fillPreset(r, p)
			r.Applied = key
			r.Note = "order_form_words.waf_note_changed"
		default:
			blocking[r.ID("preset")] = "order_form_words.waf_preset_kept"
		}
	}
	return blocking
}

// reindex numbers the rows after one was added or removed.
func (w *wafForm) reindex() {
	for i := range w.Rows {
		w.Rows[i].Index = i
	}
}

// request builds GenerateDealsAndPayNew. Every entry is sent, with a
// GoodsDetail; empty inputs are left out.
func (w *wafForm) request() (tcapi.Request, map[string]string) {
	errs := map[string]string{}
	req := &tcapi.GenerateDealsAndPayNewRequest{Region: w.Region}
	w.typeRow, w.countRow = make([][]int, len(w.Rows)), make([][]int, len(w.Rows))
	for i, r := range w.Rows {
		id := r.ID
		d := &tcapi.GoodsDetailNew{
			TimeSpan:       intInput(errs, id("TimeSpan"), r.TimeSpan),
			TimeUnit:       strInput(r.TimeUnit),
			SubProductCode: strInput(r.SubProductCode),
			Pid:            intInput(errs, id("Pid"), r.Pid),
			InstanceName:   strInput(r.InstanceName),
			AutoRenewFlag:  intInput(errs, id("AutoRenewFlag"), r.AutoRenewFlag),
			RealRegion:     intInput(errs, id("RealRegion"), r.RealRegion),
			CurDeadline:    strInput(r.CurDeadline),
			InstanceId:     strInput(r.InstanceID),
			ResourceId:     strInput(r.ResourceID),
			MicroVersion:   strInput(r.MicroVersion),
		}
		for j, l := range r.Labels {
			if l.Type == "" && l.Count == "" {
				continue
			}
			d.LabelTypes = append(d.LabelTypes, l.Type)
			w.typeRow[i] = append(w.typeRow[i], j)
			if n := intInput(errs, templates.WAFLabelID(i, j, "count"), l.Count); n != nil {
				d.LabelCounts = append(d.LabelCounts, *n)
				w.countRow[i] = append(w.countRow[i], j)
			}
		}
		g := tcapi.GoodNews{
			GoodsNum:        intInput(errs, id("GoodsNum"), r.GoodsNum),
			GoodsDetail:     d,
			GoodsCategoryId: intInput(errs, id("GoodsCategoryId"), r.GoodsCategoryID),
			RegionId:        intInput(errs, id("RegionId"), r.RegionID),
		}
		req.Goods = append(req.Goods, g)
	}
	return req, errs
}

var wafPath = regexp.MustCompile(`^Goods\[(\d+)\]\.(?:GoodsDetail\.)?([A-Za-z]+)(?:\[(\d+)\])?$`)

// wafFields are the entry fields whose control id is the row's id plus the
// parameter's name.
var wafFields = map[string]bool{
	"GoodsNum": true, "GoodsCategoryId": true, "RegionId": true, "TimeSpan": true, "TimeUnit": true,
	"SubProductCode": true, "Pid": true, "InstanceName": true, "AutoRenewFlag": true, "RealRegion": true,
	"CurDeadline": true, "InstanceId": true, "ResourceId": true, "MicroVersion": true,
}

func (w *wafForm) fieldFor(path string) string {
	switch path {
	case "Region":
		return "Region"
	case "Goods":
		return "goods"
	}
	m := wafPath.FindStringSubmatch(path)
	if m == nil {
		return ""
	}
	i, _ := strconv.Atoi(m[1])
	if i >= len(w.Rows) {
		return ""
	}
	name, elem := m[2], m[3]
	switch {
	case (name == "LabelTypes" || name == "LabelCounts") && elem == "":
		return templates.WAFRowID(i, "labels")
	case name == "LabelTypes":
		if j, _ := strconv.Atoi(elem); j < len(w.typeRow[i]) {
			return templates.WAFLabelID(i, w.typeRow[i][j], "type")
		}
	case name == "LabelCounts":
		if j, _ := strconv.Atoi(elem); j < len(w.countRow[i]) {
			return templates.WAFLabelID(i, w.countRow[i][j], "count")
		}
	case elem == "" && wafFields[name]:
		return templates.WAFRowID(i, name)
	}
	return ""
}

func (w *wafForm) fill(l *i18n.Localizer, v *templates.OrderFormView) {
	f := w.WAFForm
	for _, r := range tcapi.WAFRegions() {
		f.Regions = append(f.Regions, templates.Option{Value: r, Label: regionWord(l, r)})
	}
	f.Editions, f.Flavors, f.Kinds = options(l, wafEditions...), options(l, wafFlavors...), options(l, wafKinds...)
	f.RegionIDs = options(l, notSent, word{"1", "summary.waf.area.1"}, word{"9", "summary.waf.area.9"})
	groups := map[int64]*templates.OptionGroup{
		orders.WAFRegionMainland: {Label: l.T("summary.waf.area.1")},
		orders.WAFRegionOutside:  {Label: l.T("summary.waf.area.9")},
	}
	for _, rr := range orders.WAFRealRegions {
		g, name := groups[rr.RegionID], rr.Name
		if code, ok := wafRealRegionCodes[rr.Code]; ok {
			name = regionWord(l, code)
		}
		g.Options = append(g.Options, templates.Option{Value: strconv.FormatInt(rr.Code, 10), Label: name})
	}
	f.RealRegions = []templates.OptionGroup{*groups[orders.WAFRegionMainland], *groups[orders.WAFRegionOutside]}
	f.TimeUnits = choiceOptions(l, wafAction, "Goods.GoodsDetail.TimeUnit", notSent)
	f.AutoRenew = options(l, notSent, word{"1", "order_form_words.yes"}, word{"0", "order_form_words.no"})
	f.MicroVersions = choiceOptions(l, wafAction, "Goods.GoodsDetail.MicroVersion", notSent)
	// The notes name the preset whose codes the entry holds, so a note
	// never speaks of a preset the selects no longer show.
	f.Rows = slices.Clone(f.Rows)
	for i, r := range f.Rows {
		f.Rows[i].Labels = namedLabels(l, r.Labels)
		if r.Note != "" {
			f.Rows[i].Note = l.T(r.Note, "preset", presetName(l, r.Applied))
		}
	}
	v.Fields = f
}

// wafFormFrom and parseWAFForm are the WAF form's entry in formKinds.
func wafFormFrom(req tcapi.Request, region string) productForm {
	r := req.(*tcapi.GenerateDealsAndPayNewRequest)
	r.Region = region
	return wafFrom(r)
}

func parseWAFForm(vals url.Values, _ *fieldReader) productForm { return parseWAF(vals) }

// focus is the first field of the row a button acted on (after edit): a
// new entry's or an entry's preset, or the label just added.
func (w *wafForm) focus(op formOp) string {
	switch op.name {
	case "add_goods":
		return templates.WAFRowID(len(w.Rows)-1, "edition")
	case "apply_preset":
		if i := op.arg(0); i >= 0 && i < len(w.Rows) {
			return templates.WAFRowID(i, "edition")
		}
	case "add_label":
		if i := op.arg(0); i >= 0 && i < len(w.Rows) && len(w.Rows[i].Labels) > 0 {
			return templates.WAFLabelID(i, len(w.Rows[i].Labels)-1, "type")
		}
	}
	return ""
}
