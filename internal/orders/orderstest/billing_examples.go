package orderstest

// Billing CreateInstance bodies whose Parameter buys editions and units,
// for the estimate and the sandbox's charge (issue 16).
const (
	// CWPParams is the API document's example: Cloud Workload Protection
	// log analytics, 50 units for a month, the amount written as a string.
	CWPParams = `{"ProductCode":"p_yunjing","SubProductCode":"sp_yunjing_vas","RegionCode":"ap-guangzhou",
		"ZoneCode":"ap-guangzhou-1","PayMode":"PrePay",
		"Parameter":"{\"pid\":1005305,\"productCode\":\"p_yunjing\",\"subProductCode\":\"sp_yunjing_vas\",\"sv_yunjing_vas_la\":\"50\",\"timeSpan\":1,\"timeUnit\":\"m\"}",
		"Quantity":1,"Period":1,"PeriodUnit":"m","ProjectId":0,"RenewFlag":"NOTIFY_AND_AUTO_RENEW"}`
	// CFWParams is Cloud Firewall's Ultimate edition as the order form's
	// builder writes it (every member explicit, 0 when unused): 200 Mbps of
	// Internet border bandwidth, 2 Gbps of VPC firewall, log analysis on
	// with 1000 GB of storage, 500 rules and 50 address templates, for 2
	// months.
	CFWParams = `{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou",
		"ZoneCode":"ap-guangzhou-1","PayMode":"PrePay",
		"Parameter":"{\"goodsNum\":1,\"pid\":1002147,\"productCode\":\"p_cloudfirewall\",\"subProductCode\":\"sp_cloudfirewall_svv1\",` +
		`\"sv_cloudfirewall_basic_aeps\":0,\"sv_cloudfirewall_basic_eeps\":0,\"sv_cloudfirewall_basic_ipsmonth\":0,\"sv_cloudfirewall_basic_mon\":0,` +
		`\"sv_cloudfirewall_basic_ueps\":1,\"sv_cloudfirewall_extended_ates\":50,\"sv_cloudfirewall_extended_clasps\":1,` +
		`\"sv_cloudfirewall_extended_clsesps\":1000,\"sv_cloudfirewall_extended_ex\":0,\"sv_cloudfirewall_extended_ibtesps\":200,` +
		`\"sv_cloudfirewall_extended_nats\":0,\"sv_cloudfirewall_extended_ndr\":0,\"sv_cloudfirewall_extended_pcs\":0,` +
		`\"sv_cloudfirewall_extended_spt\":0,\"sv_cloudfirewall_extended_sra\":0,\"sv_cloudfirewall_extended_srb\":0,` +
		`\"sv_cloudfirewall_extended_sub\":0,\"sv_cloudfirewall_extended_subs\":500,\"sv_cloudfirewall_extended_vpcbges\":2,` +
		`\"timeSpan\":2,\"timeUnit\":\"m\"}",
		"Quantity":1,"Period":2,"PeriodUnit":"m","ProjectId":0,"RenewFlag":"NOTIFY_AND_MANUAL_RENEW"}`
)
