package i18n

import (
	"context"
	"testing"
	"time"
)

func TestWordsInBothLanguages(t *testing.T) {
	en, zh := New(English, nil), New(Chinese, nil)
	if got := en.T("layout.home"); got != "Home" {
		t.Errorf("en layout.home = %q", got)
	}
	if got := zh.T("layout.home"); got != "首页" {
		t.Errorf("zh layout.home = %q", got)
	}
	if got := From(context.Background()).T("layout.home"); got != "Home" {
		t.Errorf("a context without a localizer reads English, got %q", got)
	}
	if got := From(With(context.Background(), zh)).Lang(); got != "zh-CN" {
		t.Errorf("lang from context = %q", got)
	}
}

func TestMoneyAndNumbers(t *testing.T) {
	en, zh := New(English, nil), New(Chinese, nil)
	for _, c := range []struct {
		fen    int64
		en, zh string
	}{
		{0, "CN¥0.00", "¥0.00"},
		{5, "CN¥0.05", "¥0.05"},
		{123450, "CN¥1,234.50", "¥1,234.50"},
		{-100000007, "-CN¥1,000,000.07", "-¥1,000,000.07"},
	} {
		if got := en.CNY(c.fen); got != c.en {
			t.Errorf("en CNY(%d) = %q, want %q", c.fen, got, c.en)
		}
		if got := zh.CNY(c.fen); got != c.zh {
			t.Errorf("zh CNY(%d) = %q, want %q", c.fen, got, c.zh)
		}
	}
	if got := en.Int(1234567); got != "1,234,567" {
		t.Errorf("en Int = %q", got)
	}
}

func TestTimesInTheReadersZone(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	if got := New(English, sh).Time(at); got != "2026-03-02 07:30 CST" {
		t.Errorf("Shanghai time = %q", got)
	}
	if got := New(English, nil).Time(at); got != "2026-03-01 23:30 UTC" {
		t.Errorf("UTC time = %q", got)
	}
}

func TestLanguageFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                              "en",
		"zh-CN,zh;q=0.9,en;q=0.8":       "zh-CN",
		"zh":                            "zh-CN",
		"zh-Hans":                       "zh-CN",
		"en-GB,en;q=0.9":                "en",
		"fr-FR":                         "en",
		"de;q=0.9,zh-CN;q=0.8,en;q=0.1": "zh-CN",
		"!!!":                           "en",
	} {
		if got := LangCode(Match(header)); got != want {
			t.Errorf("Match(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestPluralsFollowEachLanguage(t *testing.T) {
	en, zh := New(English, nil), New(Chinese, nil)
	if got := en.N("home.orders_await_your_decision", 1, "shown", "1"); got != "1 order awaits your decision" {
		t.Errorf("en one = %q", got)
	}
	if got := en.N("home.orders_await_your_decision", 3, "shown", "3"); got != "3 orders await your decision" {
		t.Errorf("en other = %q", got)
	}
	if got := zh.N("home.orders_await_your_decision", 1, "shown", "1"); got != "1 个订单等待您决定" {
		t.Errorf("zh = %q", got)
	}
}
