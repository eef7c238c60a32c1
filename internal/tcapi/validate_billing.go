package tcapi

import (
	"time"
)

// MaxClientTokenLen is the documented limit on ClientToken.
const MaxClientTokenLen = 64

// Validate implements Request.
func (r *CreateInstanceRequest) Validate() error {
	c := &checker{action: "CreateInstance"}
	c.texts(r)
	if c.requiredString("ClientToken", r.ClientToken) {
		if !validClientToken(*r.ClientToken) {
			c.invalid("ClientToken", "client_token", "max", num(MaxClientTokenLen))
		}
	}
	if c.requiredString("ProductCode", r.ProductCode) {
		c.code("ProductCode", r.ProductCode)
	}
	if c.requiredString("SubProductCode", r.SubProductCode) {
		c.code("SubProductCode", r.SubProductCode)
	}
	c.requiredString("RegionCode", r.RegionCode)
	c.requiredString("ZoneCode", r.ZoneCode)
	c.regionZone(r.RegionCode, r.ZoneCode)
	if c.requiredString("PayMode", r.PayMode) {
		c.oneOf("PayMode", r.PayMode, allowed("CreateInstance", "PayMode")...)
	}
	if c.requiredString("Parameter", r.Parameter) {
		c.billingParameter(*r.Parameter, Deref(r.ProductCode), Deref(r.SubProductCode))
	}
	c.atLeast("Quantity", r.Quantity, 1)
	c.atMost("Quantity", CodeNumLimitError, r.Quantity, MaxQuantity)
	c.atLeast("ProjectId", r.ProjectId, 0)
	c.atMost("ProjectId", CodeInvalidParameterValue, r.ProjectId, MaxProjectID)
	c.between("Period", r.Period, 1, 36)
	c.oneOf("PeriodUnit", r.PeriodUnit, allowed("CreateInstance", "PeriodUnit")...)
	c.oneOf("RenewFlag", r.RenewFlag, allowed("CreateInstance", "RenewFlag")...)
	return c.err()
}

// validClientToken keeps to printable ASCII: the documentation allows "ASCII
// characters", and control characters or spaces in a token that must match
// byte for byte on every resend only invite mistakes.
func validClientToken(s string) bool {
	if len(s) == 0 || len(s) > MaxClientTokenLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Validate implements Request.
func (r *DescribeDealsByCondRequest) Validate() error {
	c := &checker{action: "DescribeDealsByCond"}
	c.texts(r)
	var start, end time.Time
	var startOK, endOK bool
	if c.requiredString("StartTime", r.StartTime) {
		start, startOK = c.dealTime("StartTime", *r.StartTime)
	}
	if c.requiredString("EndTime", r.EndTime) {
		end, endOK = c.dealTime("EndTime", *r.EndTime)
	}
	if startOK && endOK && end.Before(start) {
		c.invalid("EndTime", "end_before_start")
	}
	if r.Limit == nil {
		c.missing("Limit")
	}
	c.between("Limit", r.Limit, 1, 1000)
	c.atLeast("Offset", r.Offset, 0)
	c.atMost("Offset", CodeInvalidParameterValue, r.Offset, MaxDealsPage)
	c.between("Status", r.Status, DealUnpaid, DealPaying)
	c.ident("OrderId", r.OrderId)
	c.ident("BigDealId", r.BigDealId)
	c.ident("ResourceId", r.ResourceId)
	return c.err()
}

func (c *checker) dealTime(path, v string) (time.Time, bool) {
	t, err := time.Parse(TimeLayout, v)
	if err != nil {
		c.invalid(path, "billing_time", "value", quote(v))
		return time.Time{}, false
	}
	return t, true
}

// beijing is the zone billing reads and writes times in.
var beijing = time.FixedZone("UTC+8", 8*60*60)

// BillingZone is the zone billing reads and writes times in: Beijing time.
func BillingZone() *time.Location { return beijing }

// DealTime writes t the way billing reads StartTime and EndTime and writes
// CreateTime: in Beijing time.
func DealTime(t time.Time) string {
	return t.In(beijing).Format(TimeLayout)
}
