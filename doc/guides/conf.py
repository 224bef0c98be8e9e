# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors

"""Sphinx configuration of the dpdk-lcoremem guides.

doc/guides/meson.build runs Sphinx with this file ("ninja -C <build> doc") and passes the
version; by hand: sphinx-build -b html doc/guides <output folder>.
"""

import importlib.util
import os

project = 'DPDK Lcore Memory Facilities'
author = 'The dpdk-lcoremem authors'
copyright = '2026, ' + author

# the build gives the version with -D; a build by hand reads it from the source tree
_version_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'VERSION')
try:
    with open(_version_file, encoding='utf-8') as _f:
        version = release = _f.read().strip()
except OSError:
    version = release = ''

root_doc = 'index'
exclude_patterns = []
# literal blocks (::) are shown as they are; code is highlighted only where a
# code-block names its language
highlight_language = 'none'
pygments_style = 'sphinx'
# figures and tables are numbered, so that the text can refer to them
numfig = True

html_show_sourcelink = False
html_copy_source = False
html_static_path = ['_static']
html_css_files = ['lcoremem.css']

# the Read the Docs theme, as DPDK's guides use it, when it is installed
if importlib.util.find_spec('sphinx_rtd_theme') is not None:
    html_theme = 'sphinx_rtd_theme'
    html_theme_options = {'navigation_depth': 3, 'collapse_navigation': False}
else:
    html_theme = 'alabaster'
