/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/* The summary table printed after the runs, and the same figures as JSON and CSV. */

#include <inttypes.h>
#include <stdio.h>

#include <rte_eal.h>

#include "ct_report.h"

#define MIB(b) ((double)(b) / (1 << 20))
/* The header of devtools/perf_chart.py's CSV (app/test/test_fastmem_perf.h). */
#define CT_CSV_HEADER "section,lcores,size,pattern,allocator,value,unit,ratio_to_single"

double
ct_lcore_pps(const struct ct_lcore_result *r)
{
	return r->seconds > 0 ? (double)r->stats.packets / r->seconds : 0;
}

static double
per_packet(const struct ct_lcore_stats *s, uint64_t cycles)
{
	return s->packets > 0 ? (double)cycles / (double)s->packets : 0;
}

void
ct_report_run(const struct ct_run_result *r)
{
	printf("conntrack [%s] done: %" PRIu64 " packets in %.3f s, flows created %" PRIu64
			", expired %" PRIu64 ", left %" PRIu64 "; peak memory held %.2f MiB\n",
			ct_alloc_name(r->allocator), r->total.packets, r->seconds,
			r->total.created, ct_stats_expired(&r->total), r->flows_left,
			MIB(r->peak.held));
	if (r->port_nombuf != 0)
		printf("conntrack [%s] warning: the port found no mbuf %" PRIu64 " times: "
				"input was lost\n", ct_alloc_name(r->allocator), r->port_nombuf);
}

/* A row of the summary: a label and one value per run. */
#define ROW(label, fmt, expr) do { \
	printf("  %-40s", label); \
	for (i = 0; i < n; i++) { \
		const struct ct_run_result *r = &runs[i]; \
		printf(" %12" fmt, expr); \
	} \
	printf("\n"); \
} while (0)

void
ct_report_summary(const struct ct_config *cfg, const struct ct_run_result *runs,
		unsigned int n)
{
	unsigned int i, l, t;
	char label[64];

	if (n == 0)
		return;
	printf("\nconntrack summary: %" PRIu64 " packets, %u workers, idle timeout %" PRIu64
			" ms\n", runs[0].total.packets, runs[0].n_lcores, cfg->timeout_us / 1000);
	ROW("object, bytes asked: bytes taken with", "s", ct_alloc_name(r->allocator));
	for (t = 0; t < CT_OBJ_NUM; t++) {
		snprintf(label, sizeof(label), "  %s, %zu", ct_obj_name(t), ct_obj_size(t));
		ROW(label, "zu", ct_obj_footprint(r->allocator, t));
	}
	for (l = 0; l < runs[0].n_lcores; l++) {
		snprintf(label, sizeof(label), "lcore %u: Mpps", runs[0].lcores[l].lcore_id);
		ROW(label, ".3f", ct_lcore_pps(&r->lcores[l]) / 1e6);
	}
	ROW("TSC cycles per packet: handling", ".1f", per_packet(&r->total, r->total.proc_cycles));
	ROW("TSC cycles per packet: receiving", ".1f", per_packet(&r->total, r->total.rx_cycles));
	ROW("TSC cycles per packet: expiring", ".1f",
			per_packet(&r->total, r->total.expire_cycles));
	ROW("flows created", PRIu64, r->total.created);
	ROW("flows expired", PRIu64, ct_stats_expired(&r->total));
	ROW("  by another lcore (frees across lcores)", PRIu64, r->total.expired_peer);
	ROW("  by their owner, at their next packet", PRIu64, r->total.expired_inline);
	ROW("  by their owner, the expirer being late", PRIu64, r->total.expired_late);
	ROW("  by their owner, to free memory", PRIu64, r->total.expired_forced);
	ROW("flows left at the end", PRIu64, r->flows_left);
	for (t = 0; t < CT_OBJ_NUM; t++) {
		snprintf(label, sizeof(label), "%s objects at peak (sum of lcores)",
				ct_obj_name(t));
		ROW(label, PRIu64, r->peak_objs[t]);
	}
	ROW("allocation failures", PRIu64, r->total.alloc_failures);
	ROW("peak memory held, MiB", ".2f", MIB(r->peak.held));
	ROW("  fastmem backing / mempool chunks, MiB", ".2f", MIB(r->peak.objects));
	ROW("  fastmem metadata / mempool headers, MiB", ".2f", MIB(r->peak.meta));
	for (i = 0; i < n; i++)
		if (runs[i].allocator == CT_ALLOC_FASTMEM && !cfg->pool_objs_set)
			printf("  mempools sized from the fastmem run: --pool-objs=%" PRIu64 ",%"
					PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", runs[i].peak_objs[0],
					runs[i].peak_objs[1], runs[i].peak_objs[2],
					runs[i].peak_objs[3]);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
json_stats(FILE *f, const struct ct_lcore_stats *s)
{
	unsigned int t;

	fprintf(f, "\"packets\": %" PRIu64 ", \"ip_bytes\": %" PRIu64 ", \"not_ipv4\": %"
			PRIu64 ", \"bad_ipv4\": %" PRIu64 ", \"created\": %" PRIu64
			", \"expired\": %" PRIu64 ", \"expired_inline\": %" PRIu64
			", \"expired_peer\": %" PRIu64 ", \"expired_late\": %" PRIu64
			", \"expired_forced\": %" PRIu64 ", \"alloc_failures\": %" PRIu64
			", \"late_sweeps\": %" PRIu64 ", \"rx_cycles\": %" PRIu64
			", \"proc_cycles\": %" PRIu64 ", \"expire_cycles\": %" PRIu64
			", \"hist\": [",
			s->packets, s->ip_bytes, s->not_ipv4, s->bad_ipv4, s->created,
			ct_stats_expired(s), s->expired_inline, s->expired_peer, s->expired_late,
			s->expired_forced, s->alloc_failures, s->late_sweeps, s->rx_cycles,
			s->proc_cycles, s->expire_cycles);
	for (t = 0; t < CT_HIST_SIZES; t++)
		fprintf(f, "%s%" PRIu64, t ? ", " : "", s->hist[t]);
	fprintf(f, "]");
}

static void
json_run(FILE *f, const struct ct_run_result *r)
{
	unsigned int l, t;

	fprintf(f, "    {\"allocator\": \"%s\", \"seconds\": %.6f, ",
			ct_alloc_name(r->allocator), r->seconds);
	json_stats(f, &r->total);
	fprintf(f, ",\n     \"flows_left\": %" PRIu64 ", \"port_nombuf\": %" PRIu64
			", \"memory_peak\": {\"held\": %" PRIu64 ", \"objects\": %" PRIu64
			", \"meta\": %" PRIu64 "},\n     \"objects_peak\": {",
			r->flows_left, r->port_nombuf, r->peak.held, r->peak.objects, r->peak.meta);
	for (t = 0; t < CT_OBJ_NUM; t++)
		fprintf(f, "%s\"%s\": %" PRIu64, t ? ", " : "", ct_obj_name(t),
				r->peak_objs[t]);
	fprintf(f, "},\n     \"lcores\": [\n");
	for (l = 0; l < r->n_lcores; l++) {
		const struct ct_lcore_result *lr = &r->lcores[l];

		fprintf(f, "       {\"lcore\": %u, \"port_packets\": %" PRId64
				", \"seconds\": %.6f, \"pps\": %.1f, ", lr->lcore_id,
				lr->port_packets, lr->seconds, ct_lcore_pps(lr));
		json_stats(f, &lr->stats);
		fprintf(f, "}%s\n", l + 1 < r->n_lcores ? "," : "");
	}
	fprintf(f, "     ]}");
}

int
ct_report_json(const char *path, const struct ct_config *cfg,
		const struct ct_run_result *runs, unsigned int n)
{
	FILE *f = fopen(path, "w");
	unsigned int i, t;

	if (f == NULL) {
		printf("conntrack: error: cannot write %s\n", path);
		return -1;
	}
	fprintf(f, "{\n  \"runtime_dir\": ");
	json_string(f, rte_eal_get_runtime_dir());
	fprintf(f, ",\n  \"timeout_us\": %" PRIu64 ",\n  \"ext_after\": %u,\n"
			"  \"object_sizes\": {", cfg->timeout_us, cfg->ext_after);
	for (t = 0; t < CT_OBJ_NUM; t++)
		fprintf(f, "%s\"%s\": %zu", t ? ", " : "", ct_obj_name(t), ct_obj_size(t));
	fprintf(f, "},\n  \"runs\": [\n");
	for (i = 0; i < n; i++) {
		json_run(f, &runs[i]);
		fprintf(f, "%s\n", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0) {
		printf("conntrack: error: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int
ct_report_csv(const char *path, const struct ct_run_result *runs, unsigned int n)
{
	FILE *f = fopen(path, "a");
	unsigned int i, l;

	if (f == NULL) {
		printf("conntrack: error: cannot append to %s\n", path);
		return -1;
	}
	if (ftell(f) == 0)
		fprintf(f, "%s\n", CT_CSV_HEADER);
	for (i = 0; i < n; i++) {
		const struct ct_run_result *r = &runs[i];
		const char *name = ct_alloc_name(r->allocator);
		double pps = 0;

		for (l = 0; l < r->n_lcores; l++)
			pps += ct_lcore_pps(&r->lcores[l]);
		fprintf(f, "conntrack,%u,-,mpps_per_lcore,%s,%.4f,Mpps,\n", r->n_lcores, name,
				r->n_lcores ? pps / r->n_lcores / 1e6 : 0);
		fprintf(f, "conntrack,%u,-,cycles_per_packet,%s,%.1f,cycles/packet,\n",
				r->n_lcores, name, per_packet(&r->total, r->total.proc_cycles));
		fprintf(f, "conntrack,%u,-,peak_memory,%s,%" PRIu64 ",bytes,\n", r->n_lcores,
				name, r->peak.held);
	}
	if (fclose(f) != 0) {
		printf("conntrack: error: cannot append to %s\n", path);
		return -1;
	}
	return 0;
}
