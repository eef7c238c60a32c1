package orders_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// Realistic bodies, one per product (the sandbox accepts each).
const (
	wafParams = `{"Goods":[{"GoodsCategoryId":102375,"GoodsNum":1,"RegionId":1,"GoodsDetail":{
		"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"InstanceName":"shop",
		"AutoRenewFlag":1,"RealRegion":1,"LabelTypes":["sv_wsm_waf_package_premium"],"LabelCounts":[1]}}]}`
	billingParams = `{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1",
		"RegionCode":"ap-guangzhou","ZoneCode":"ap-guangzhou-1","PayMode":"PrePay","Parameter":"{\"pid\":1002147}"}`
	tcbParams = `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m"}`
)

var seq atomic.Int64

// newUser stores a user with roles and returns an actor for them.
func newUser(t *testing.T, pool db.Pool, roles ...string) orders.Actor {
	t.Helper()
	u, err := db.InsertUser(context.Background(), pool, db.NewUser{
		Username: fmt.Sprintf("user%d", seq.Add(1)), DisplayName: "Test User",
		// Never verified here: the column only insists on the PHC prefix.
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Roles: roles,
	})
	if err != nil {
		t.Fatal(err)
	}
	return orders.Actor{UserID: u.ID, Roles: roles, RemoteAddr: "127.0.0.1", RequestID: "test"}
}

// newAccount stores an environment-keyed account (no secrets needed).
func newAccount(t *testing.T, pool db.Pool) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(),
		`INSERT INTO tencentcloud_accounts (name, key_source) VALUES ($1, 'environment') RETURNING id`,
		fmt.Sprintf("account %d", seq.Add(1))).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func draft(p orders.Product, account int64) orders.Draft {
	d := orders.Draft{Product: p, AccountID: account, Title: "Buy it", Justification: "Because we need it"}
	switch p {
	case orders.ProductWAF:
		d.Params, d.Region = []byte(wafParams), "ap-guangzhou"
	case orders.ProductBilling:
		d.Params = []byte(billingParams)
	case orders.ProductTCB:
		d.Params = []byte(tcbParams)
	}
	return d
}

type pgxTx = pgx.Tx
