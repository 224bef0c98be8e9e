#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors

"""Run Sphinx or Doxygen for a meson custom target, and write its depfile.

    call_doc_tool.py sphinx  OUTPUT DEPFILE SPHINX-BUILD VERSION SRCDIR [--werror]
    call_doc_tool.py doxygen OUTPUT DEPFILE DOXYGEN CONF HEADER...

OUTPUT is the HTML folder the target produces. The depfile names every file the result
depends on, so that ninja rebuilds it when a guide, a figure, a header or a configuration
changes, or a guide is added. Each run starts from an empty OUTPUT, so that no page of a
removed guide or symbol stays, and Sphinx reads every guide afresh (-E -a), so that each
run reports every warning. When the tool fails, OUTPUT is removed: the next build runs
the tool again and reports the same warnings, instead of finding an up-to-date folder.
"""

import os
import shutil
import subprocess
import sys


def write_depfile(depfile, output, deps):
    """Write a make-style depfile: OUTPUT depends on every file of DEPS."""
    def esc(path):
        return path.replace('\\', '\\\\').replace(' ', '\\ ').replace('#', '\\#')
    with open(depfile, 'w', encoding='utf-8') as f:
        f.write(esc(output) + ': ' + ' \\\n  '.join(esc(d) for d in sorted(deps)) + '\n')


def tree_files(top):
    """Every file and folder under TOP, except Python byte code. A folder's time stamp
    changes when a file is added to it or removed: a new guide is a change too."""
    found = [top]
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d != '__pycache__']
        found += [os.path.join(root, d) for d in dirs]
        found += [os.path.join(root, f) for f in files if not f.endswith('.pyc')]
    return found


def run(cmd, output, also_remove=()):
    """Run CMD; on failure remove OUTPUT and ALSO_REMOVE. Return the exit status."""
    rc = subprocess.run(cmd, check=False).returncode
    if rc != 0:
        for path in (output, *also_remove):
            shutil.rmtree(path, ignore_errors=True)
        print(f'{os.path.basename(cmd[0])} failed (exit status {rc}); '
              f'the messages above say why', file=sys.stderr)
    return rc


def sphinx(output, depfile, args):
    """Build the HTML guides of SRCDIR into OUTPUT."""
    sphinx_build, version, srcdir = args[:3]
    doctrees = os.path.join(os.path.dirname(os.path.abspath(output)), '.doctrees')
    cmd = [sphinx_build, '-b', 'html', '-q', '-E', '-a', '-d', doctrees,
           '-D', 'version=' + version, '-D', 'release=' + version]
    if '--werror' in args[3:]:
        # every warning, then a failure (not just the first one)
        cmd += ['-W', '--keep-going']
    cmd += [srcdir, output]
    write_depfile(depfile, output, tree_files(srcdir))
    # the pages of a guide that is gone must not stay (nor be installed)
    shutil.rmtree(output, ignore_errors=True)
    return run(cmd, output, (doctrees,))


def doxygen(output, depfile, args):
    """Build the API reference: CONF, with the headers added to its INPUT."""
    doxygen_bin, conf = args[:2]
    headers = [os.path.abspath(h) for h in args[2:]]
    full_conf = os.path.join(os.path.dirname(os.path.abspath(output)), 'doxy-api.conf')
    with open(conf, encoding='utf-8') as f:
        text = f.read()
    with open(full_conf, 'w', encoding='utf-8') as f:
        f.write(text)
        f.write('\n# added by call_doc_tool.py: the installed public headers\n')
        f.write('INPUT += ' + ' \\\n         '.join(headers) + '\n')
    # the files the configuration names (the index page, the style sheet), read back
    deps = set(headers) | {os.path.abspath(conf)}
    for line in text.splitlines():
        key, _, value = line.partition('=')
        if key.strip() in ('INPUT', 'HTML_EXTRA_STYLESHEET'):
            deps |= {v for v in value.split() if os.path.isfile(v)}
    write_depfile(depfile, output, deps)
    # as for Sphinx: the pages of symbols that are gone must not stay
    shutil.rmtree(output, ignore_errors=True)
    return run([doxygen_bin, full_conf], output)


def main(argv):
    tools = {'sphinx': (sphinx, 3), 'doxygen': (doxygen, 3)}
    if len(argv) < 4 or argv[1] not in tools or len(argv) - 4 < tools[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    func = tools[argv[1]][0]
    return func(argv[2], argv[3], argv[4:])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
