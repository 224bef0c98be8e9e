/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Refused patterns: per-lcore arrays devtools/lcore_var_migrate.py must leave alone,
 * each with the reason it must give, on the line it must give it for:
 *   expect: NAME refused here: TEXT     (the report refuses NAME at this line, saying TEXT)
 * The file compiles, and is never run.
 */

#include <stdint.h>
#include <string.h>

#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "mig_fixtures.h"

/* expect: mig_seeded refused here: static initializer */
static int mig_seeded[RTE_MAX_LCORE] = { [0] = 1 };

static uint64_t mig_sized[RTE_MAX_LCORE];

/* expect: mig_extra refused here: RTE_MAX_LCORE + 1 elements */
static uint32_t mig_extra[RTE_MAX_LCORE + 1];

static uint32_t mig_any[RTE_MAX_LCORE];

static uint32_t mig_escaped[RTE_MAX_LCORE];
static uint32_t mig_passed[RTE_MAX_LCORE];

/* expect: mig_matrix refused here: is an array or function type */
static uint16_t mig_matrix[RTE_MAX_LCORE][4];

/* expect: mig_callbacks refused here: could not parse */
static void (*mig_callbacks[RTE_MAX_LCORE])(void);

/* a macro body spatch cannot parse (it opens a block another macro closes) */
static uint32_t mig_macro[RTE_MAX_LCORE];
/* expect: mig_macro refused here: inside a macro definition */
#define MIG_FOR_EACH_SLOT(i) for (i = 0; i < RTE_MAX_LCORE; i++) { mig_macro[i] = 0;
#define MIG_FOR_EACH_END }

/* a name made by token pasting, which no search for the name finds */
static uint32_t mig_pasted_hits[RTE_MAX_LCORE];
/* expect: mig_pasted_hits refused here: token pasting */
#define MIG_PASTED_INC(what) (mig_pasted_##what[rte_lcore_id()]++)

/* expect: mig_shared refused here: declared extern in */
uint32_t mig_shared[RTE_MAX_LCORE];

struct mig_dev {
	/* expect: stats refused here: allocated and freed per instance */
	uint64_t stats[RTE_MAX_LCORE];
	unsigned int id;
};

struct mig_shm {
	/* expect: counts refused here: lives in shared memory */
	uint64_t counts[RTE_MAX_LCORE];
};

static struct mig_shm *mig_shm;

struct mig_plain {
	/* expect: slots refused here: move the array out of the structure */
	uint32_t slots[RTE_MAX_LCORE];
};

static struct mig_plain mig_plain;

struct mig_queue {
	uint32_t *per_lcore;
};

static uint32_t *mig_twice;
static uint32_t *mig_reassigned;

/* expect: mig_two_ctors refused here: several constructors use it */
static uint32_t mig_two_ctors[RTE_MAX_LCORE];

struct mig_dev *
mig_dev_create(void)
{
	struct mig_dev *dev = rte_zmalloc("mig_dev", sizeof(*dev), 0);

	return dev;
}

void
mig_dev_free(struct mig_dev *dev)
{
	rte_free(dev);
}

int
mig_shm_attach(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup("mig_shm");

	if (mz == NULL)
		return -1;
	mig_shm = mz->addr;
	return 0;
}

int
mig_queue_init(struct mig_queue *q)
{
	/* expect: q->per_lcore refused here: a member of a per-instance structure */
	q->per_lcore = rte_calloc("mig_queue", RTE_MAX_LCORE, sizeof(uint32_t), 0);
	return q->per_lcore == NULL ? -1 : 0;
}

int
mig_twice_init(void)
{
	/* expect: mig_twice refused here: allocated in 2 places */
	mig_twice = rte_calloc("mig_twice", RTE_MAX_LCORE, sizeof(uint32_t), 0);
	if (mig_twice == NULL)
		mig_twice = rte_calloc("mig_twice", RTE_MAX_LCORE, sizeof(uint32_t), 0);
	return mig_twice == NULL ? -1 : 0;
}

int
mig_reassigned_init(uint32_t *other)
{
	mig_reassigned = rte_calloc("mig_reassigned", RTE_MAX_LCORE, sizeof(uint32_t), 0);
	if (mig_reassigned == NULL)
		/* expect: mig_reassigned refused here: assigned something other than */
		mig_reassigned = other;
	return 0;
}

uint64_t
mig_refused_use(unsigned int lcore_id)
{
	/* expect: mig_calls refused here: function-static array */
	static uint32_t mig_calls[RTE_MAX_LCORE];
	uint32_t *p;
	uint64_t sum = 0;
	unsigned int idx = lcore_id;

	/* expect: mig_sized refused here: sizeof of the array */
	memset(mig_sized, 0, sizeof(mig_sized));
	if (idx >= RTE_MAX_LCORE)
		/* expect: mig_any refused here: indexed by RTE_MAX_LCORE or LCORE_ID_ANY */
		sum += mig_any[LCORE_ID_ANY];
	if (lcore_id == LCORE_ID_ANY)
		idx = RTE_MAX_LCORE;
	/* expect: mig_extra refused here: indexed by RTE_MAX_LCORE or LCORE_ID_ANY */
	sum += mig_extra[idx];
	/* expect: mig_escaped refused here: address of the whole array escapes */
	p = (uint32_t *)&mig_escaped;
	/* expect: mig_passed refused here: itself is used as a value */
	p = mig_passed;
	sum += p[lcore_id] + mig_seeded[lcore_id] + mig_matrix[lcore_id][1] + mig_shared[0];
	sum += mig_calls[lcore_id]++ + MIG_PASTED_INC(hits) + mig_plain.slots[0];
	MIG_FOR_EACH_SLOT(idx)
	MIG_FOR_EACH_END
	sum += mig_shm->counts[lcore_id] + mig_reassigned[lcore_id] + mig_twice[0];
	if (mig_callbacks[lcore_id] != NULL)
		mig_callbacks[lcore_id]();
	return sum;
}

static void
mig_two_ctors_set(unsigned int value)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++)
		mig_two_ctors[i] = value;
}

RTE_INIT(mig_ctor_one)
{
	mig_two_ctors_set(1);
}

RTE_INIT(mig_ctor_two)
{
	mig_two_ctors_set(2);
}
