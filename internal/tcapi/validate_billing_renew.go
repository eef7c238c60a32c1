package tcapi

// Validate implements Request.
func (r *RenewInstanceRequest) Validate() error {
	c := &checker{action: "RenewInstance"}
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
	c.regionZone(r.RegionCode, nil)
	if c.requiredString("InstanceId", r.InstanceId) {
		c.ident("InstanceId", r.InstanceId)
	}
	c.between("Period", r.Period, 1, 36)
	c.oneOf("PeriodUnit", r.PeriodUnit, allowed("RenewInstance", "PeriodUnit")...)
	return c.err()
}
