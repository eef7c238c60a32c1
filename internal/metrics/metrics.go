// Package metrics is what /metrics shows, in Prometheus's format: figures
// this process counts as they happen (sends by product and outcome,
// throttled calls, approved→sent latency, request latency by route) and
// figures read from the database at each scrape (the send queue's depth
// and age, the orders whose outcome is unknown, the pool's connections).
// No echo: internal/web times the requests and serves the handler.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dealdesk/internal/db"
)

// Metrics holds the console's collectors in a registry of its own (not
// the global one, so tests can build as many as they like).
type Metrics struct {
	reg            *prometheus.Registry
	sends          *prometheus.CounterVec
	throttled      *prometheus.CounterVec
	approvedToSent *prometheus.HistogramVec
	requests       *prometheus.HistogramVec
}

// New builds the collectors. pool may be nil (no database figures).
func New(pool *pgxpool.Pool, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealdesk_sends_total",
			Help: "Purchase calls this process made and recorded, by product and outcome (tcapi's class: succeeded, rejected, throttled, not_sent, unknown, needs_review).",
		}, []string{"product", "outcome"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dealdesk_sends_throttled_total",
			Help: "Purchase calls Tencent Cloud answered with a rate limit error, by product.",
		}, []string{"product"}),
		approvedToSent: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dealdesk_send_approved_to_sent_seconds",
			Help:    "From an order's approval to its first call's answer being recorded, by product.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900},
		}, []string{"product"}),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dealdesk_http_request_duration_seconds",
			Help:    "HTTP requests by method, route pattern (never the raw path) and status code.",
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10},
		}, []string{"method", "route", "code"}),
	}
	m.reg.MustRegister(m.sends, m.throttled, m.approvedToSent, m.requests,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool != nil {
		m.reg.MustRegister(&poolCollector{pool: pool}, &dbCollector{pool: pool, log: log})
	}
	return m
}

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveSend counts one recorded call. approvedToSent is zero when the
// call was not an approved order's first (a resend, a takeover).
func (m *Metrics) ObserveSend(product, outcome string, approvedToSent time.Duration) {
	m.sends.WithLabelValues(product, outcome).Inc()
	if outcome == "throttled" {
		m.throttled.WithLabelValues(product).Inc()
	}
	if approvedToSent > 0 {
		m.approvedToSent.WithLabelValues(product).Observe(approvedToSent.Seconds())
	}
}

// ObserveRequest times one HTTP request. route is the router's pattern
// ("/orders/:id"), so ids do not make a label value each.
func (m *Metrics) ObserveRequest(method, route string, code int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(code)).Observe(d.Seconds())
}

var (
	poolMax      = prometheus.NewDesc("dealdesk_db_pool_max_connections", "The pool's connection limit.", nil, nil)
	poolConns    = prometheus.NewDesc("dealdesk_db_pool_connections", "The pool's open connections, by state.", []string{"state"}, nil)
	poolAcquires = prometheus.NewDesc("dealdesk_db_pool_acquires_total", "Connections acquired from the pool.", nil, nil)
	poolWaits    = prometheus.NewDesc("dealdesk_db_pool_empty_acquires_total", "Acquires that had to wait for a connection.", nil, nil)
	poolWaitTime = prometheus.NewDesc("dealdesk_db_pool_acquire_wait_seconds_total", "Time spent waiting for a connection.", nil, nil)
)

// poolCollector reads pgxpool's own statistics at each scrape.
type poolCollector struct{ pool *pgxpool.Pool }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolMax, poolConns, poolAcquires, poolWaits, poolWaitTime} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.ConstructingConns()), "constructing")
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, s.AcquireDuration().Seconds())
}

var (
	queueWaiting = prometheus.NewDesc("dealdesk_queue_waiting_jobs", "Jobs due and waiting to run, by River queue (send is the purchase queue).", []string{"queue"}, nil)
	queueOldest  = prometheus.NewDesc("dealdesk_queue_oldest_waiting_seconds", "How long the oldest due job of a River queue has waited.", []string{"queue"}, nil)
	unknownOrds  = prometheus.NewDesc("dealdesk_orders_unknown", "Orders whose purchase outcome is unknown (they wait for a resend or a person).", nil, nil)
	scrapeErrors = prometheus.NewDesc("dealdesk_metrics_db_errors", "1 when this scrape could not read the database figures.", nil, nil)
)

// knownQueues are always reported, at zero when empty, so an alert on a
// queue's age has a series to read.
var knownQueues = []string{"send", "notify", "audit"}

// dbCollector reads the figures every replica shares from the database.
type dbCollector struct {
	pool *pgxpool.Pool
	log  *slog.Logger
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{queueWaiting, queueOldest, unknownOrds, scrapeErrors} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	failed := 0.0
	stats, err := db.QueueStats(ctx, c.pool)
	if err != nil {
		c.log.Warn("metrics: queue stats", "err", err)
		failed = 1
	}
	seen := map[string]bool{}
	for _, s := range stats {
		seen[s.Queue] = true
		ch <- prometheus.MustNewConstMetric(queueWaiting, prometheus.GaugeValue, float64(s.Waiting), s.Queue)
		ch <- prometheus.MustNewConstMetric(queueOldest, prometheus.GaugeValue, s.OldestSeconds, s.Queue)
	}
	if err == nil {
		for _, q := range knownQueues {
			if !seen[q] {
				ch <- prometheus.MustNewConstMetric(queueWaiting, prometheus.GaugeValue, 0, q)
				ch <- prometheus.MustNewConstMetric(queueOldest, prometheus.GaugeValue, 0, q)
			}
		}
	}
	if n, err := db.CountOrdersInStatus(ctx, c.pool, "unknown"); err != nil {
		c.log.Warn("metrics: unknown orders", "err", err)
		failed = 1
	} else {
		ch <- prometheus.MustNewConstMetric(unknownOrds, prometheus.GaugeValue, float64(n))
	}
	ch <- prometheus.MustNewConstMetric(scrapeErrors, prometheus.GaugeValue, failed)
}
