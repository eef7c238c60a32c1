package orders_test

import (
	"slices"
	"testing"

	"dealdesk/internal/orders"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	base := orders.VersionContent{AccountID: 1, Region: "ap-guangzhou", Title: "t", Justification: "j",
		Params: []byte(`{"Goods":[{"GoodsNum":1,"GoodsDetail":{"TimeSpan":1,"Labels":["a"]}}],"Pid":1000827}`)}
	for name, c := range map[string]struct {
		after string
		edit  func(*orders.VersionContent)
		want  []orders.Change
	}{
		"nothing": {after: string(base.Params)},
		"one nested value": {
			after: `{"Goods":[{"GoodsNum":1,"GoodsDetail":{"TimeSpan":12,"Labels":["a"]}}],"Pid":1000827}`,
			want:  []orders.Change{{Field: "Goods[0].GoodsDetail.TimeSpan", Before: "1", After: "12"}},
		},
		"added and removed": {
			after: `{"Goods":[{"GoodsNum":1,"GoodsDetail":{"TimeSpan":1,"Labels":["a","b"]}}],"InstanceName":"shop"}`,
			want: []orders.Change{
				{Field: "Goods[0].GoodsDetail.Labels[1]", After: `"b"`},
				{Field: "InstanceName", After: `"shop"`},
				{Field: "Pid", Before: "1000827"},
			},
		},
		"emptied array": {
			after: `{"Goods":[],"Pid":1000827}`,
			want: []orders.Change{
				{Field: "Goods", After: "[]"},
				{Field: "Goods[0].GoodsDetail.Labels[0]", Before: `"a"`},
				{Field: "Goods[0].GoodsDetail.TimeSpan", Before: "1"},
				{Field: "Goods[0].GoodsNum", Before: "1"},
			},
		},
		"fields": {
			after: string(base.Params),
			edit:  func(v *orders.VersionContent) { v.Title, v.AccountID = "t2", 2 },
			want:  []orders.Change{{Field: "Account", Before: "#1", After: "#2"}, {Field: "Title", Before: "t", After: "t2"}},
		},
		"string type change": {
			after: `{"Goods":[{"GoodsNum":"1","GoodsDetail":{"TimeSpan":1,"Labels":["a"]}}],"Pid":1000827}`,
			want:  []orders.Change{{Field: "Goods[0].GoodsNum", Before: "1", After: `"1"`}},
		},
	} {
		after := base
		after.Params = []byte(c.after)
		if c.edit != nil {
			c.edit(&after)
		}
		if got := orders.Diff(base, after); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, c.want)
		}
	}
}
