/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef EAL_EXPORT_H
#define EAL_EXPORT_H

/*
 * Symbol export annotations, for builds outside DPDK's tree.
 *
 * Since DPDK 25.07, a library announces each symbol it exports where the symbol is
 * defined, and the build makes the version map from those lines. DPDK's own eal_export.h
 * (a private header of its EAL) defines the macros; outside DPDK's tree this one does,
 * with the same names and the same empty expansion, and buildtools/gen_version_map.py
 * reads the lines. A library's sources are thus the same in and out of DPDK's tree.
 *
 * Not installed: it is for building this project's libraries.
 */

/** Export @p symbol as experimental API, first released in version @p ver. */
#define RTE_EXPORT_EXPERIMENTAL_SYMBOL(symbol, ver)

/** Export @p symbol for other DPDK libraries and drivers only. */
#define RTE_EXPORT_INTERNAL_SYMBOL(symbol)

/** Export @p symbol as stable API. */
#define RTE_EXPORT_SYMBOL(symbol)

#endif /* EAL_EXPORT_H */
