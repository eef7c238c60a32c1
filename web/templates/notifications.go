package templates

import "strconv"

// NotificationPrefRow is one event on a person's preferences page.
type NotificationPrefRow struct {
	Event string
	Label string
	Email bool
}

// NotificationPrefsView is a person's own notification preferences.
type NotificationPrefsView struct {
	Page
	Rows []NotificationPrefRow
	// Address is the person's e-mail address ("" when their profile has
	// none: then nothing reaches them by e-mail).
	Address string
	// MailOn says the console sends e-mail at all (CONSOLE_SMTP_URL).
	MailOn bool
	Errors map[string]string
}

// DeliveryRow is one message on one channel in the admins' delivery log.
type DeliveryRow struct {
	ID        int64
	When      string
	OrderID   int64
	Event     string
	Channel   string
	Status    string
	Attempts  int
	LastError string
	Reminder  bool
}

func (r DeliveryRow) resendPath() string {
	return "/admin/deliveries/" + strconv.FormatInt(r.ID, 10) + "/resend"
}

func (r DeliveryRow) orderPath() string { return "/orders/" + strconv.FormatInt(r.OrderID, 10) }

// DeliveriesView is the admins' delivery log, newest first.
type DeliveriesView struct {
	Page
	Rows []DeliveryRow
	// Older is the link to the next page ("" on the last).
	Older string
}
