/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * The flow table: lookup, creation and update of flows by their owner, and expiry of
 * idle flows through a timer wheel.
 *
 * The wheel has CT_WHEEL_SLOTS slots of timeout / CT_WHEEL_DIV each. A flow is linked in
 * the slot of its deadline (last packet + timeout) when it is created, and stays there
 * when later packets push its deadline back: the expirer, reaching the slot, frees the
 * flows that are idle and moves the others to the slot of their new deadline. A slot is
 * reached once the owner's clock has passed its end, so every flow found there is
 * checked against the clock, never against wall time.
 */

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "ct_flow.h"

/* Bytes of a history's header, before its records. */
#define CT_HIST_HDR offsetof(struct ct_hist, rec)

int
ct_table_init(struct ct_table *t, unsigned int buckets, uint64_t timeout_us,
		int socket_id)
{
	memset(t, 0, sizeof(*t));
	rte_spinlock_init(&t->lock);
	t->buckets = rte_zmalloc_socket("ct_buckets", buckets * sizeof(t->buckets[0]),
			RTE_CACHE_LINE_SIZE, socket_id);
	if (t->buckets == NULL)
		return -ENOMEM;
	t->mask = buckets - 1;
	t->timeout_us = timeout_us;
	t->slot_us = RTE_MAX(timeout_us / CT_WHEEL_DIV, (uint64_t)1);
	return 0;
}

void
ct_table_fini(struct ct_table *t)
{
	rte_free(t->buckets);
	t->buckets = NULL;
}

void
ct_table_reset(struct ct_table *t)
{
	memset(t->wheel, 0, sizeof(t->wheel));
	t->scan = NULL;
	t->scanning = 0;
	t->clock_us = 0;
	t->clock_pub = 0;
	t->cursor = 0;
	memset(t->live, 0, sizeof(t->live));
	memset(t->peak, 0, sizeof(t->peak));
	t->owner_done = 0;
	t->finished = 0;
}

static inline bool
key_equal(const struct ct_key *a, const struct ct_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static inline struct ct_flow **
wheel_slot(struct ct_table *t, uint64_t deadline_us)
{
	return &t->wheel[(deadline_us / t->slot_us) & (CT_WHEEL_SLOTS - 1)];
}

static inline void
wheel_link(struct ct_flow **head, struct ct_flow *f)
{
	f->wnext = *head;
	if (f->wnext != NULL)
		f->wnext->wpprev = &f->wnext;
	*head = f;
	f->wpprev = head;
}

static inline void
wheel_unlink(struct ct_flow *f)
{
	*f->wpprev = f->wnext;
	if (f->wnext != NULL)
		f->wnext->wpprev = f->wpprev;
}

static inline bool
flow_idle(const struct ct_table *t, const struct ct_flow *f)
{
	return t->clock_us > f->last_us + t->timeout_us;
}

/* Count an object the table now holds (the counters are read by telemetry too). */
static inline void
table_hold(struct ct_table *t, enum ct_obj type)
{
	uint32_t n = t->live[type] + 1;

	__atomic_store_n(&t->live[type], n, __ATOMIC_RELAXED);
	if (n > t->peak[type])
		__atomic_store_n(&t->peak[type], n, __ATOMIC_RELAXED);
}

static inline void
table_release(struct ct_table *t, enum ct_obj type)
{
	__atomic_store_n(&t->live[type], t->live[type] - 1, __ATOMIC_RELAXED);
}

/* Unlink a flow from the table and give it and its history back. */
static void
flow_free(struct ct_table *t, struct ct_flow *f)
{
	struct ct_flow **p = &t->buckets[f->hash & t->mask];

	while (*p != f)
		p = &(*p)->hnext;
	*p = f->hnext;
	wheel_unlink(f);
	if (f->hist != NULL) {
		table_release(t, f->hist->type);
		ct_obj_put(f->hist->type, f->hist);
	}
	table_release(t, CT_OBJ_FLOW);
	ct_obj_put(CT_OBJ_FLOW, f);
}

/* Take the flows of a wheel slot off the wheel, into the scan list. */
static inline void
scan_take(struct ct_table *t, struct ct_flow **slot)
{
	t->scan = *slot;
	if (t->scan != NULL)
		t->scan->wpprev = &t->scan;
	*slot = NULL;
}

/*
 * Examine the first flow of the scan list: free it when it is idle, else move it to the
 * slot of its deadline. Returns 1 when it was freed.
 */
static inline unsigned int
scan_one(struct ct_table *t)
{
	struct ct_flow *f = t->scan;

	if (flow_idle(t, f)) {
		flow_free(t, f);
		return 1;
	}
	wheel_unlink(f);
	wheel_link(wheel_slot(t, f->last_us + t->timeout_us), f);
	return 0;
}

/*
 * Expire the idle flows of the slots the clock has passed, examining at most @budget
 * flows. Table locked. Returns the number of flows expired.
 */
static uint64_t
expire_due(struct ct_table *t, unsigned int budget)
{
	uint64_t now_slot = t->clock_us / t->slot_us, expired = 0;
	unsigned int seen = 0;

	while (seen < budget) {
		if (!t->scanning) {
			if (t->cursor >= now_slot)
				break; /* the clock is inside the cursor's slot */
			/* after a jump of the clock, every slot is due: visit each once */
			if (now_slot - t->cursor > CT_WHEEL_SLOTS)
				__atomic_store_n(&t->cursor, now_slot - CT_WHEEL_SLOTS,
						__ATOMIC_RELAXED);
			scan_take(t, &t->wheel[t->cursor & (CT_WHEEL_SLOTS - 1)]);
			t->scanning = 1;
		}
		if (t->scan == NULL) {
			/* the slot is done (the owner may have expired some of it) */
			t->scanning = 0;
			__atomic_store_n(&t->cursor, t->cursor + 1, __ATOMIC_RELAXED);
			continue;
		}
		seen++;
		expired += scan_one(t);
	}
	return expired;
}

/* After the owner's last packet: examine every flow left once. Table locked. */
static uint64_t
expire_all(struct ct_table *t)
{
	uint64_t expired = expire_due(t, UINT32_MAX);
	unsigned int i;

	for (i = 0; i < CT_WHEEL_SLOTS; i++) {
		scan_take(t, &t->wheel[i]);
		while (t->scan != NULL)
			expired += scan_one(t);
	}
	return expired;
}

bool
ct_table_expire(struct ct_table *t, struct ct_lcore_stats *stats, unsigned int budget)
{
	uint64_t expired;
	bool finished;

	if (!rte_spinlock_trylock(&t->lock))
		return false;
	if (t->finished) {
		ct_table_unlock(t);
		return true;
	}
	if (t->owner_done) {
		expired = expire_all(t);
		t->finished = 1;
	} else {
		expired = expire_due(t, budget);
	}
	finished = t->finished != 0;
	ct_table_unlock(t);
	if (expired != 0)
		CT_STAT_ADD(stats, expired_peer, expired);
	return finished;
}

uint64_t
ct_table_expire_late(struct ct_table *t)
{
	uint64_t expired;

	ct_table_lock(t);
	expired = expire_due(t, UINT32_MAX);
	ct_table_unlock(t);
	return expired;
}

void
ct_table_owner_done(struct ct_table *t)
{
	ct_table_lock(t);
	__atomic_store_n(&t->owner_done, 1, __ATOMIC_RELEASE);
	ct_table_unlock(t);
}

/*
 * The allocator had nothing for the owner: expire what is due in its own table (the
 * expirer may be late). Whether anything was freed, for the owner to try once more.
 */
static bool
owner_make_room(const struct ct_owner *o)
{
	uint64_t expired = expire_due(o->table, UINT32_MAX);

	CT_STAT_ADD(o->stats, expired_forced, expired);
	return expired != 0;
}

/* An object for the owner, or NULL (counted as an allocation failure). */
static void *
owner_get(const struct ct_owner *o, enum ct_obj type)
{
	void *obj = ct_obj_get(o->handles, type);

	if (unlikely(obj == NULL) && owner_make_room(o))
		obj = ct_obj_get(o->handles, type);
	if (unlikely(obj == NULL))
		CT_STAT_ADD(o->stats, alloc_failures, 1);
	return obj;
}

static struct ct_flow *
flow_new(const struct ct_owner *o, const struct ct_pkt *p)
{
	struct ct_table *t = o->table;
	struct ct_flow **bucket, *f;

	f = owner_get(o, CT_OBJ_FLOW);
	if (f == NULL)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->key = p->key;
	f->hash = p->hash;
	f->first_us = p->ts_us;
	f->last_us = p->ts_us;
	bucket = &t->buckets[p->hash & t->mask];
	f->hnext = *bucket;
	*bucket = f;
	wheel_link(wheel_slot(t, p->ts_us + t->timeout_us), f);
	table_hold(t, CT_OBJ_FLOW);
	CT_STAT_ADD(o->stats, created, 1);
	return f;
}

static inline uint16_t
hist_cap(enum ct_obj type)
{
	return (uint16_t)((ct_obj_size(type) - CT_HIST_HDR) / sizeof(struct ct_hist_rec));
}

/* A history with room for one more record, or NULL (an allocation failed). */
static struct ct_hist *
hist_room(const struct ct_owner *o, struct ct_flow *f)
{
	struct ct_hist *h = f->hist, *bigger;
	enum ct_obj type;
	size_t used;

	if (h == NULL) {
		h = owner_get(o, CT_OBJ_HIST_S);
		if (h == NULL)
			return NULL;
		memset(h, 0, CT_HIST_HDR);
		h->type = CT_OBJ_HIST_S;
		h->cap = hist_cap(CT_OBJ_HIST_S);
		f->hist = h;
		table_hold(o->table, CT_OBJ_HIST_S);
		CT_STAT_ADD(o->stats, hist[0], 1);
		return h;
	}
	if (h->len < h->cap || h->type == CT_OBJ_HIST_L || h->stuck)
		return h;
	type = (enum ct_obj)h->type;
	used = CT_HIST_HDR + h->len * sizeof(h->rec[0]);
	bigger = ct_obj_grow(o->handles, type, type + 1, h, used);
	if (unlikely(bigger == NULL) && owner_make_room(o))
		bigger = ct_obj_grow(o->handles, type, type + 1, h, used);
	if (unlikely(bigger == NULL)) {
		/* keep the latest packets in the history it has */
		CT_STAT_ADD(o->stats, alloc_failures, 1);
		h->stuck = 1;
		return h;
	}
	table_release(o->table, type);
	table_hold(o->table, type + 1);
	CT_STAT_ADD(o->stats, hist[type + 1 - CT_OBJ_HIST_FIRST], 1);
	bigger->type = type + 1;
	bigger->cap = hist_cap(type + 1);
	f->hist = bigger;
	return bigger;
}

static void
hist_add(const struct ct_owner *o, struct ct_flow *f, const struct ct_pkt *p)
{
	struct ct_hist *h = hist_room(o, f);
	struct ct_hist_rec *r;
	uint64_t dt;

	if (h == NULL)
		return;
	if (h->len < h->cap) {
		r = &h->rec[h->len++];
	} else {
		r = &h->rec[h->next];
		h->next = (uint16_t)((h->next + 1) % h->cap);
	}
	dt = p->ts_us - f->first_us;
	r->dt_us = dt > UINT32_MAX ? UINT32_MAX : (uint32_t)dt;
	r->seq = p->seq;
	r->ack = p->ack;
	r->ip_len = p->ip_len;
	r->tcp_flags = p->tcp_flags;
	r->dir = p->dir;
	h->total++;
}

void
ct_flow_packet(const struct ct_owner *o, const struct ct_pkt *p)
{
	struct ct_table *t = o->table;
	struct ct_flow *f;
	uint32_t n;

	if (p->ts_us > t->clock_us)
		t->clock_us = p->ts_us;
	for (f = t->buckets[p->hash & t->mask]; f != NULL; f = f->hnext)
		if (f->hash == p->hash && key_equal(&f->key, &p->key))
			break;
	if (f != NULL && flow_idle(t, f)) {
		/* the connection went idle before this packet: a new one starts */
		flow_free(t, f);
		CT_STAT_ADD(o->stats, expired_inline, 1);
		f = NULL;
	}
	if (f == NULL) {
		f = flow_new(o, p);
		if (f == NULL)
			return;
	}
	f->last_us = RTE_MAX(f->last_us, p->ts_us);
	f->bytes += p->ip_len;
	f->packets[p->dir]++;
	f->tcp_flags |= p->tcp_flags;
	n = f->packets[0] + f->packets[1];
	if (f->key.proto == IPPROTO_TCP && n >= o->ext_after)
		hist_add(o, f, p);
}

uint64_t
ct_table_flush(struct ct_table *t)
{
	uint64_t n = 0;
	uint32_t b;

	for (b = 0; b <= t->mask; b++)
		while (t->buckets[b] != NULL) {
			flow_free(t, t->buckets[b]);
			n++;
		}
	t->scan = NULL;
	t->scanning = 0;
	return n;
}
