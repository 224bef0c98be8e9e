#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Find the per-lcore arrays an ELF file holds, the first step of a migration to lcore
variables.

Reads the DWARF debug information of relocatable objects, shared libraries, executables
and ar archives of objects, and reports every global, file-static or function-static
variable, and every struct member, whose type is an array with an outer dimension of
RTE_MAX_LCORE or RTE_MAX_LCORE + 1, with what each element costs: its size, how much of
it is alignment padding or cache guard, and what an lcore variable of the unpadded type
would take; and the heap arrays that allocations size by RTE_MAX_LCORE.

An array only as long as RTE_MAX_LCORE is not enough: where the source file the DWARF
names can be read, the declaration must spell its dimension with RTE_MAX_LCORE (directly
or through a macro); arrays of the same length declared otherwise are listed apart, as
excluded. Heap arrays are found in the source text of each compilation unit, at lines
the line table says were compiled.

The value of RTE_MAX_LCORE comes from, in this order:
  1. --max-lcore N;
  2. the file's own DWARF: a macro definition (objects built with -g3), else an
     enumerator named RTE_MAX_LCORE;
  3. the rte_build_config.h named by --build-config;
  4. the build being scanned: an rte_build_config.h in the compilation folder the DWARF
     records, or in a folder above the file scanned (a DPDK build folder has one);
  5. the rte_build_config.h of the installed DPDK (found through pkg-config, then in the
     usual include folders);
  6. 128, DPDK's default.

Exit status: 0 when no array was found, 1 when some were, 2 on any error (bad option,
unreadable or malformed file, or no input carrying debug information).

Needs Python 3 and pyelftools (Debian: python3-pyelftools); run it with the python3
that has pyelftools, e.g. /usr/bin/python3 on Debian.
"""

import argparse
import fnmatch
import glob
import io
import json
import os
import re
import stat
import subprocess
import sys

import lcore_array_source as srctext

try:
    from elftools.common.exceptions import ELFError, ELFRelocationError, DWARFError
    from elftools.elf.elffile import ELFFile
    from elftools.construct import StaticField
    from elftools.dwarf.structs import DWARFStructs
    from elftools.elf.relocation import RelocationHandler
except ImportError:
    sys.stderr.write('lcore_array_scan: pyelftools is missing '
                     '(Debian/Ubuntu: apt-get install python3-pyelftools)\n')
    sys.exit(2)

EXIT_NONE = 0
EXIT_FOUND = 1
EXIT_ERROR = 2

DEFAULT_MAX_LCORE = 128

# tags that only qualify or rename the type they point to
QUALIFIER_TAGS = ('DW_TAG_typedef', 'DW_TAG_const_type', 'DW_TAG_volatile_type',
                  'DW_TAG_restrict_type', 'DW_TAG_atomic_type')
QUALIFIER_WORDS = {'DW_TAG_const_type': 'const', 'DW_TAG_volatile_type': 'volatile',
                   'DW_TAG_restrict_type': 'restrict', 'DW_TAG_atomic_type': '_Atomic'}
AGGREGATE_KEYWORDS = {'DW_TAG_structure_type': 'struct', 'DW_TAG_class_type': 'class',
                      'DW_TAG_union_type': 'union', 'DW_TAG_enumeration_type': 'enum'}
SCOPE_TAGS = ('DW_TAG_compile_unit', 'DW_TAG_partial_unit', 'DW_TAG_type_unit',
              'DW_TAG_namespace', 'DW_TAG_module')
FUNCTION_TAGS = ('DW_TAG_subprogram', 'DW_TAG_inlined_subroutine')

# DWARF expression opcodes that tell a static address or a thread-local one
DW_OP_ADDR = 0x03
DW_OP_ADDRX = 0xa1
DW_OP_GNU_ADDR_INDEX = 0xfb
DW_OP_FORM_TLS_ADDRESS = 0x9b
DW_OP_GNU_PUSH_TLS_ADDRESS = 0xe0

# DWARF 5 unit types of split DWARF
DW_UT_SKELETON = 0x04
DW_UT_SPLIT_COMPILE = 0x05

# attributes of the skeleton unit of a split DWARF object
SPLIT_DWARF_ATTRS = ('DW_AT_dwo_name', 'DW_AT_GNU_dwo_name', 0x2130, 'DW_AT_GNU_dwo_id')

# a member that is an array of bytes with one of these words in its name is cache guard
GUARD_WORDS = ('guard', 'pad', 'padding', 'filler')

AR_MAGIC = b'!<arch>\n'
AR_THIN_MAGIC = b'!<thin>\n'
ELF_MAGIC = b'\x7fELF'
SCANNED_SUFFIXES = ('.o', '.so', '.a')


# Two gaps of pyelftools 0.29 (Debian 12) that real builds run into, filled in place:
#
# - The debug information of a thread-local variable in an x86-64 object carries an
#   R_X86_64_DTPOFF32 relocation, which pyelftools does not know and fails the file on.
#   It only feeds a location expression, of which the scanner reads the opcodes, never
#   the operand: such relocations are left unapplied.
# - clang's DWARF 5 line tables carry an MD5 checksum per file (DW_FORM_data16), a form
#   pyelftools cannot parse, and DW_FORM_strx4 is read as 8 bytes instead of 4.
# Newer pyelftools versions that know these are left alone.

def _tolerant_relocation(apply):
    """Leave relocations of a type pyelftools does not know unapplied."""
    def apply_or_skip(self, stream, reloc, symtab):
        try:
            apply(self, stream, reloc, symtab)
        except ELFRelocationError as exc:
            if not str(exc).startswith('Unsupported relocation type'):
                raise
    return apply_or_skip


def _complete_forms(create):
    """Add the attribute forms pyelftools lacks to its table of forms."""
    def create_dw_form(self):
        create(self)
        if 'DW_FORM_data16' not in self.Dwarf_dw_form:
            self.Dwarf_dw_form['DW_FORM_data16'] = StaticField('', 16)
        if self.Dwarf_dw_form.get('DW_FORM_strx4') is not None and \
                self.Dwarf_dw_form['DW_FORM_strx4'].sizeof() == 8:
            self.Dwarf_dw_form['DW_FORM_strx4'] = self.Dwarf_uint32('')
    return create_dw_form


# pylint: disable=protected-access
RelocationHandler._do_apply_relocation = _tolerant_relocation(
    RelocationHandler._do_apply_relocation)
DWARFStructs._create_dw_form = _complete_forms(DWARFStructs._create_dw_form)
# pylint: enable=protected-access


class ScanError(Exception):
    """An input that cannot be read or parsed."""


def to_str(value):
    """DWARF strings come back as bytes; make them text."""
    if isinstance(value, bytes):
        return value.decode('utf-8', errors='replace')
    return value


# ---------------------------------------------------------------------------------------
# Where RTE_MAX_LCORE comes from when the DWARF does not say

def parse_int_literal(text):
    """Return the integer a C macro body such as '128', '(256U)' or '0x80' spells, or None."""
    text = text.strip()
    while text.startswith('(') and text.endswith(')'):
        text = text[1:-1].strip()
    match = re.fullmatch(r'(0[xX][0-9a-fA-F]+|\d+)[uUlL]*', text)
    if not match:
        return None
    return int(match.group(1), 0)


def read_build_config(path):
    """Return RTE_MAX_LCORE as a rte_build_config.h (or rte_config.h) defines it, or None."""
    try:
        with open(path, encoding='utf-8', errors='replace') as header:
            for line in header:
                match = re.match(r'\s*#\s*define\s+RTE_MAX_LCORE\s+(.+?)\s*(/[/*].*)?$', line)
                if match:
                    return parse_int_literal(match.group(1))
    except OSError:
        return None
    return None


def installed_build_configs():
    """Candidate rte_build_config.h files of the installed DPDK, the likeliest first."""
    folders = []
    try:
        out = subprocess.run(['pkg-config', '--cflags-only-I', 'libdpdk'],
                             capture_output=True, text=True, check=False, timeout=10)
        if out.returncode == 0:
            folders += [flag[2:] for flag in out.stdout.split() if flag.startswith('-I')]
    except (OSError, subprocess.SubprocessError):
        pass
    folders += sorted(glob.glob('/usr/include/*-linux-gnu*/dpdk'))
    folders += ['/usr/include/dpdk', '/usr/local/include/dpdk', '/usr/local/include']
    return [os.path.join(folder, 'rte_build_config.h') for folder in folders]


def fallback_max_lcore(build_config, build_folders=()):
    """RTE_MAX_LCORE when neither the command line nor the DWARF gives it: (value, source).
    build_folders: where the build being scanned may keep its rte_build_config.h."""
    if build_config:
        value = read_build_config(build_config)
        if value is None:
            raise ScanError('{}: no RTE_MAX_LCORE definition found'.format(build_config))
        return value, os.path.normpath(build_config)
    near = srctext.build_config_near(build_folders)
    if near is not None:
        value = read_build_config(near)
        if value is not None:
            return value, 'build folder: {}'.format(os.path.normpath(near))
    for path in installed_build_configs():
        value = read_build_config(path)
        if value is not None:
            return value, os.path.normpath(path)
    return DEFAULT_MAX_LCORE, 'default'


def macro_definitions(elf):
    """(name -> body of the object-like macros, values of RTE_MAX_LCORE) that the macro
    information of an ELF file (-g3) defines.

    gcc writes each definition as the string "NAME BODY", either into .debug_str (through
    DW_MACRO_define_strp) or inline in .debug_macro / .debug_macinfo; looking for the
    strings is enough, and needs no relocation of the macro sections of an object file.
    .debug_str is only read when the file has macro information at all.
    """
    values, macros = [], {}
    sections = list(elf.iter_sections())
    if not any(s.name.startswith(('.debug_macro', '.debug_macinfo', '.zdebug_macro'))
               for s in sections):
        return macros, values
    for section in sections:
        name = section.name
        if name not in ('.debug_str', '.zdebug_str') and not name.startswith(
                ('.debug_macro', '.debug_macinfo', '.zdebug_macro')):
            continue
        try:
            data = section.data()
        except (ELFError, ValueError, OSError):
            continue
        for match in re.finditer(rb'([A-Za-z_]\w*)[ \t]([^\x00]*)\x00', data):
            macro = match.group(1).decode('ascii')
            body = match.group(2).decode('ascii', errors='replace').strip()
            macros.setdefault(macro, body)
            if macro == 'RTE_MAX_LCORE':
                value = parse_int_literal(body)
                if value is not None and value not in values:
                    values.append(value)
    return macros, values


# ---------------------------------------------------------------------------------------
# Types

class TypeInfo:
    """Helpers over the type DIEs of one ELF file."""

    def __init__(self):
        self.size_cache = {}

    @staticmethod
    def target(die):
        """The DIE a DW_AT_type attribute points to, or None for void."""
        if die is None or 'DW_AT_type' not in die.attributes:
            return None
        return die.get_DIE_from_attribute('DW_AT_type')

    def strip(self, die):
        """Skip typedefs and qualifiers."""
        depth = 0
        while die is not None and die.tag in QUALIFIER_TAGS and depth < 64:
            die = self.target(die)
            depth += 1
        return die

    @staticmethod
    def subrange_count(sub):
        """Number of elements a DW_TAG_subrange_type describes, or None when not constant."""
        attrs = sub.attributes
        if 'DW_AT_count' in attrs:
            attr = attrs['DW_AT_count']
            return attr.value if isinstance(attr.value, int) and \
                not attr.form.startswith('DW_FORM_ref') else None
        if 'DW_AT_upper_bound' in attrs:
            attr = attrs['DW_AT_upper_bound']
            if not isinstance(attr.value, int) or attr.form.startswith('DW_FORM_ref'):
                return None
            lower = attrs['DW_AT_lower_bound'].value if 'DW_AT_lower_bound' in attrs else 0
            upper = attr.value
            if attr.form == 'DW_FORM_data8' and upper == (1 << 64) - 1:
                return 0    # an upper bound of -1: a zero-length array
            return upper - lower + 1
        return None

    def dims(self, array_die):
        """The dimensions of an array type DIE, outermost first (None where not constant)."""
        return [self.subrange_count(child) for child in array_die.iter_children()
                if child.tag in ('DW_TAG_subrange_type', 'DW_TAG_enumeration_type')]

    def size(self, die):
        """Size in bytes of a type DIE, or None when incomplete or not a data type."""
        if die is None:
            return None
        key = die.offset
        if key in self.size_cache:
            return self.size_cache[key]
        self.size_cache[key] = None     # cuts reference cycles
        result = None
        if die.tag in QUALIFIER_TAGS:
            result = self.size(self.target(die))
        elif die.tag == 'DW_TAG_array_type':
            if 'DW_AT_byte_size' in die.attributes:
                result = die.attributes['DW_AT_byte_size'].value
            else:
                elem = self.size(self.target(die))
                result = elem
                for count in self.dims(die):
                    if count is None or result is None:
                        result = None
                        break
                    result *= count
        elif 'DW_AT_byte_size' in die.attributes:
            value = die.attributes['DW_AT_byte_size'].value
            result = value if isinstance(value, int) else None
        elif die.tag in ('DW_TAG_pointer_type', 'DW_TAG_reference_type',
                         'DW_TAG_rvalue_reference_type', 'DW_TAG_ptr_to_member_type'):
            result = die.cu['address_size']
        self.size_cache[key] = result
        return result

    def name(self, die):
        """A C spelling of a type DIE."""
        return self._name(die, 0)

    def _name(self, die, depth):
        if die is None:
            return 'void'
        if depth > 32:
            return '...'
        tag = die.tag
        own = to_str(die.attributes['DW_AT_name'].value) \
            if 'DW_AT_name' in die.attributes else None
        if tag in ('DW_TAG_base_type', 'DW_TAG_typedef', 'DW_TAG_unspecified_type'):
            return own or '<anonymous>'
        if tag in AGGREGATE_KEYWORDS:
            return '{} {}'.format(AGGREGATE_KEYWORDS[tag], own or '<anonymous>')
        if tag in QUALIFIER_WORDS:
            # gather a run of qualifiers, written in the usual order
            quals = []
            inner = die
            while inner is not None and inner.tag in QUALIFIER_WORDS:
                quals.append(QUALIFIER_WORDS[inner.tag])
                inner = self.target(inner)
            words = ' '.join(w for w in QUALIFIER_WORDS.values() if w in quals)
            if inner is not None and inner.tag == 'DW_TAG_pointer_type':
                return '{} {}'.format(self._name(inner, depth + 1), words)
            return '{} {}'.format(words, self._name(inner, depth + 1))
        if tag == 'DW_TAG_pointer_type':
            inner = self.target(die)
            if inner is not None and inner.tag == 'DW_TAG_subroutine_type':
                return '{} (*)()'.format(self._name(self.target(inner), depth + 1))
            inner_name = self._name(inner, depth + 1)
            return inner_name + ('*' if inner_name.endswith('*') else ' *')
        if tag == 'DW_TAG_array_type':
            return self._name(self.target(die), depth + 1) + ''.join(
                '[{}]'.format('' if count is None else count) for count in self.dims(die))
        if tag == 'DW_TAG_subroutine_type':
            return '{} ()'.format(self._name(self.target(die), depth + 1))
        return own or tag.replace('DW_TAG_', '<') + '>'

    def is_byte_array(self, die):
        """Whether a type is an array of one-byte elements (char, uint8_t...)."""
        die = self.strip(die)
        if die is None or die.tag != 'DW_TAG_array_type':
            return False
        elem = self.strip(self.target(die))
        while elem is not None and elem.tag == 'DW_TAG_array_type':
            elem = self.strip(self.target(elem))
        return elem is not None and elem.tag == 'DW_TAG_base_type' and self.size(elem) == 1

    def is_guard_member(self, member):
        """A byte array member that is unnamed or named like a cache guard or padding."""
        if not self.is_byte_array(self.target(member)):
            return False
        if 'DW_AT_name' not in member.attributes:
            return True
        words = re.split(r'[_\d]+', to_str(member.attributes['DW_AT_name'].value).lower())
        return any(word in GUARD_WORDS for word in words)

    def layout(self, die):
        """(size, data bytes, guard bytes) of a type; what is left of size is padding.

        The data bytes of a struct are the sizes of its members added up, leaving out
        guard members and the holes between members and at the end (bit-fields are added
        up in bits); those of a union are the size of its largest member. Arrays multiply
        the figures of their element. Anything else is all data.
        """
        size = self.size(die)
        die = self.strip(die)
        if die is None or size is None:
            return size, size, 0
        if die.tag == 'DW_TAG_array_type':
            _, data, guard = self.layout(self.target(die))
            count = 1
            for dim in self.dims(die):
                count *= dim or 0
            return size, (data or 0) * count, guard * count
        if die.tag not in ('DW_TAG_structure_type', 'DW_TAG_class_type',
                           'DW_TAG_union_type'):
            return size, size, 0
        data = guard = bits = 0
        for member in die.iter_children():
            if member.tag != 'DW_TAG_member' or 'DW_AT_declaration' in member.attributes \
                    or 'DW_AT_external' in member.attributes:
                continue
            msize = self.size(self.target(member)) or 0
            if 'DW_AT_bit_size' in member.attributes:
                if die.tag == 'DW_TAG_union_type':
                    data = max(data, (member.attributes['DW_AT_bit_size'].value + 7) // 8)
                else:
                    bits += member.attributes['DW_AT_bit_size'].value
            elif die.tag == 'DW_TAG_union_type':
                # a union is as big as its largest member; no member of it is a guard
                data = max(data, msize)
            elif self.is_guard_member(member):
                guard += msize
            else:
                data += msize
        data += (bits + 7) // 8
        data = min(data, size)
        guard = min(guard, size - data)
        return size, data, guard


# ---------------------------------------------------------------------------------------
# Variables

def is_dwarf5_split(head, little_endian):
    """Whether the first unit of .debug_info is a DWARF 5 skeleton or split unit, which
    pyelftools 0.29 cannot parse (from the unit header bytes)."""
    order = 'little' if little_endian else 'big'
    if len(head) < 7:
        return False
    pos = 12 if int.from_bytes(head[0:4], order) == 0xffffffff else 4
    if len(head) < pos + 3:
        return False
    version = int.from_bytes(head[pos:pos + 2], order)
    return version == 5 and head[pos + 2] in (DW_UT_SKELETON, DW_UT_SPLIT_COMPILE)


def follow(die, attribute):
    """The DIE an attribute such as DW_AT_specification refers to, or None."""
    if die is None or attribute not in die.attributes:
        return None
    try:
        return die.get_DIE_from_attribute(attribute)
    except (DWARFError, KeyError, ValueError, AssertionError):
        return None


def origin_chain(die):
    """A variable DIE followed by the declarations and abstract instances it completes."""
    chain = [die]
    while len(chain) < 8:
        nxt = follow(chain[-1], 'DW_AT_specification') or \
            follow(chain[-1], 'DW_AT_abstract_origin')
        if nxt is None or nxt in chain:
            break
        chain.append(nxt)
    return chain


def chain_attr(chain, name):
    """(DIE, attribute) of the first DIE of a chain holding an attribute, or (None, None)."""
    for die in chain:
        if name in die.attributes:
            return die, die.attributes[name]
    return None, None


def storage_of(location_attr):
    """'data' for a static address, 'tls' for a thread-local one, None otherwise."""
    if location_attr is None or not isinstance(location_attr.value, list) \
            or not location_attr.value:
        return None     # no location, or a location list: not a static variable
    expr = location_attr.value
    if expr[-1] in (DW_OP_FORM_TLS_ADDRESS, DW_OP_GNU_PUSH_TLS_ADDRESS):
        return 'tls'
    if expr[0] in (DW_OP_ADDR, DW_OP_ADDRX, DW_OP_GNU_ADDR_INDEX):
        return 'data'
    return None


class LineTables:
    """File names for DW_AT_decl_file values, per compilation unit."""

    def __init__(self, dwarf):
        self.dwarf = dwarf
        self.cache = {}

    def _files(self, cu):
        if cu.cu_offset in self.cache:
            return self.cache[cu.cu_offset]
        files = None
        try:
            program = self.dwarf.line_program_for_CU(cu)
        except (DWARFError, KeyError, ValueError, AssertionError):
            program = None
        if program is not None:
            top = cu.get_top_DIE()
            comp_dir = to_str(top.attributes['DW_AT_comp_dir'].value) \
                if 'DW_AT_comp_dir' in top.attributes else ''
            version = program.header['version']
            dirs = [to_str(d) for d in program.header['include_directory']]
            files = {}
            for index, entry in enumerate(program.header['file_entry']):
                name = to_str(entry.name)
                dir_index = entry.dir_index
                if version >= 5:
                    # DWARF 5: files and folders count from 0, folder 0 is the CU's own
                    number = index
                    folder = dirs[dir_index] if dir_index < len(dirs) else ''
                else:
                    # DWARF 2-4: files count from 1; folder 0 is the compilation folder
                    number = index + 1
                    folder = comp_dir if dir_index == 0 else \
                        (dirs[dir_index - 1] if dir_index - 1 < len(dirs) else '')
                path = os.path.join(folder, name)
                if not os.path.isabs(path) and comp_dir:
                    path = os.path.join(comp_dir, path)
                files[number] = os.path.normpath(path)
        self.cache[cu.cu_offset] = files
        return files

    def unit_files(self, die):
        """Every file the line table of a DIE's compilation unit names."""
        files = self._files(die.cu)
        return sorted(set(files.values())) if files else []

    def name(self, die, index):
        """The path DW_AT_decl_file value `index` of `die` stands for, or None."""
        files = self._files(die.cu)
        if not files:
            return None
        return files.get(index)


def enclosing_function(die):
    """Name of the function a DIE is nested in, or None at file scope."""
    parent = die.get_parent()
    while parent is not None and parent.tag not in SCOPE_TAGS:
        if parent.tag in FUNCTION_TAGS:
            _, attr = chain_attr(origin_chain(parent), 'DW_AT_name')
            return to_str(attr.value) if attr is not None else '<anonymous>'
        parent = parent.get_parent()
    return None


class UnitInfo:
    """What the heap array search needs to know of one compilation unit: its source
    file, its compilation folder, the file-scope pointers and the structs it defines, and
    its functions."""

    def __init__(self, cu, dwarf):
        top = cu.get_top_DIE()
        self.cu = cu
        self.dwarf = dwarf
        self.comp_dir = to_str(top.attributes['DW_AT_comp_dir'].value) \
            if 'DW_AT_comp_dir' in top.attributes else ''
        name = to_str(top.attributes['DW_AT_name'].value) \
            if 'DW_AT_name' in top.attributes else None
        self.path = os.path.normpath(os.path.join(self.comp_dir, name)) if name else None
        self.pointers = {}      # file-scope pointer variable -> its DIE
        self.structs = {}       # struct tag -> its DIE
        self.functions = []     # (decl line, name), of functions of the unit's own file
        self.files = []         # every file its line table names
        self.lines = None

    def compiled_lines(self):
        """The lines of the unit's own source file that the line table holds code for."""
        if self.lines is None:
            self.lines = set()
            try:
                program = self.dwarf.line_program_for_CU(self.cu)
            except (DWARFError, KeyError, ValueError, AssertionError):
                program = None
            if program is not None:
                base = os.path.basename(self.path or '')
                names = {}
                version = program.header['version']
                for index, entry in enumerate(program.header['file_entry']):
                    names[index if version >= 5 else index + 1] = \
                        os.path.basename(to_str(entry.name))
                for entry in program.get_entries():
                    state = entry.state
                    if state is not None and names.get(state.file) == base:
                        self.lines.add(state.line)
        return self.lines

    def function_at(self, line):
        """The function of the unit's file whose definition begins last before a line."""
        best = None
        for decl_line, name in self.functions:
            if decl_line <= line and (best is None or decl_line > best[0]):
                best = (decl_line, name)
        return best[1] if best else None


def collect_arrays(dwarf, types):
    """All array variables with static storage and all array members of structs:
    (candidates, enumerator values, units)."""
    lines = LineTables(dwarf)
    candidates = {}     # the first DIE of the variable's origin chain -> facts
    members = {}        # (struct, member, file, line) -> facts
    enumerators = []
    units = []
    for cu in dwarf.iter_CUs():
        if cu.header.get('unit_type') in ('DW_UT_skeleton', 'DW_UT_split_compile',
                                          'DW_UT_split_type'):
            raise ScanError('split DWARF (-gsplit-dwarf) is not supported; build without it')
        top = cu.get_top_DIE()
        # DW_AT_GNU_dwo_name (0x2130) has no name in pyelftools 0.29
        if any(attr in top.attributes for attr in SPLIT_DWARF_ATTRS):
            raise ScanError('split DWARF (-gsplit-dwarf) is not supported; build without it')
        unit = UnitInfo(cu, dwarf)
        unit.files = lines.unit_files(top)
        units.append(unit)
        for die in cu.iter_DIEs():
            if die.tag == 'DW_TAG_enumerator':
                if 'DW_AT_name' in die.attributes and \
                        to_str(die.attributes['DW_AT_name'].value) == 'RTE_MAX_LCORE' and \
                        'DW_AT_const_value' in die.attributes:
                    value = die.attributes['DW_AT_const_value'].value
                    if isinstance(value, int) and value not in enumerators:
                        enumerators.append(value)
                continue
            if die.tag in ('DW_TAG_structure_type', 'DW_TAG_union_type'):
                collect_members(die, types, lines, members, unit)
                continue
            if die.tag == 'DW_TAG_subprogram' and 'DW_AT_decl_line' in die.attributes and \
                    'DW_AT_name' in die.attributes and 'DW_AT_decl_file' in die.attributes:
                decl = lines.name(die, die.attributes['DW_AT_decl_file'].value)
                if decl and unit.path and os.path.basename(decl) == \
                        os.path.basename(unit.path):
                    unit.functions.append((die.attributes['DW_AT_decl_line'].value,
                                           to_str(die.attributes['DW_AT_name'].value)))
                continue
            if die.tag != 'DW_TAG_variable' or 'DW_AT_declaration' in die.attributes:
                continue
            if die.get_parent() is top and 'DW_AT_name' in die.attributes:
                target = types.strip(types.target(die))
                if target is not None and target.tag == 'DW_TAG_pointer_type':
                    unit.pointers.setdefault(to_str(die.attributes['DW_AT_name'].value), die)
            candidate = describe_variable(die, types, lines)
            if candidate is None:
                continue
            # One variable may have several DIEs: with LTO, an early one (no location) and
            # the final one pointing back to it. Keep one, the one with a location.
            key = candidate.pop('origin')
            if key not in candidates or (candidates[key]['optimized_out'] and
                                         not candidate['optimized_out']):
                candidates[key] = candidate
    return list(candidates.values()) + list(members.values()), enumerators, units


def collect_members(struct, types, lines, members, unit):
    """The array members of a struct or union DIE, into members (once per declaration)."""
    tag = to_str(struct.attributes['DW_AT_name'].value) \
        if 'DW_AT_name' in struct.attributes else '<anonymous>'
    if 'DW_AT_declaration' in struct.attributes:
        return
    unit.structs.setdefault(tag, struct)
    for child in struct.iter_children():
        if child.tag != 'DW_TAG_member' or 'DW_AT_type' not in child.attributes:
            continue
        member_type = types.target(child)
        array = types.strip(member_type)
        if array is None or array.tag != 'DW_TAG_array_type':
            continue
        name = to_str(child.attributes['DW_AT_name'].value) \
            if 'DW_AT_name' in child.attributes else '<anonymous>'
        path = lines.name(child, child.attributes['DW_AT_decl_file'].value) \
            if 'DW_AT_decl_file' in child.attributes else None
        line = child.attributes['DW_AT_decl_line'].value \
            if 'DW_AT_decl_line' in child.attributes else None
        key = (tag, name, path, line)
        if key in members:
            continue
        members[key] = {
            'unit': (child.cu.cu_offset, lines.unit_files(child)),
            'name': name, 'scope': 'member', 'function': None, 'struct': tag,
            'storage': 'member', 'optimized_out': False, 'file': path, 'line': line,
            'dims': types.dims(array), 'type': types.name(member_type), 'array': array,
        }


def describe_variable(die, types, lines):
    """Facts about one variable DIE whose type is an array, or None for any other."""
    chain = origin_chain(die)
    _, type_attr = chain_attr(chain, 'DW_AT_type')
    if type_attr is None:
        return None
    type_die = next(d for d in chain if 'DW_AT_type' in d.attributes)
    var_type = types.target(type_die)
    array = types.strip(var_type)
    if array is None or array.tag != 'DW_TAG_array_type':
        return None

    function = enclosing_function(die)
    _, loc_attr = chain_attr(chain, 'DW_AT_location')
    storage = storage_of(loc_attr)
    optimized_out = False
    if function is not None:
        if storage is None:
            return None     # an automatic variable, or one optimized away
        scope = 'function-static'
    else:
        _, ext_attr = chain_attr(chain, 'DW_AT_external')
        scope = 'global' if ext_attr is not None and ext_attr.value else 'static'
        if storage is None:
            _, const_attr = chain_attr(chain, 'DW_AT_const_value')
            optimized_out = const_attr is None
            storage = 'data'

    _, name_attr = chain_attr(chain, 'DW_AT_name')
    file_die, file_attr = chain_attr(chain, 'DW_AT_decl_file')
    _, line_attr = chain_attr(chain, 'DW_AT_decl_line')
    path = lines.name(file_die, file_attr.value) if file_attr is not None else None

    dims = types.dims(array)
    return {
        'unit': (die.cu.cu_offset, lines.unit_files(die)),
        'name': to_str(name_attr.value) if name_attr is not None else '<anonymous>',
        'scope': scope,
        'function': function,
        'storage': storage,
        'optimized_out': optimized_out,
        'file': path,
        'line': line_attr.value if line_attr is not None else None,
        'dims': dims,
        'type': types.name(var_type),
        'array': array,
        'origin': chain[-1].offset,
    }


def element_of(array, types):
    """(element type name, size, data bytes, guard bytes) of an array's outer dimension."""
    elem = types.target(array)
    inner = types.dims(array)[1:]
    name = types.name(elem) + ''.join('[{}]'.format('' if d is None else d) for d in inner)
    size, data, guard = types.layout(elem)
    count = 1
    for dim in inner:
        count *= dim or 0
    if size is None:
        return name, None, None, None
    return name, size * count, (data or 0) * count, guard * count


def make_finding(candidate, max_lcore, types):
    """The report entry of an array whose outer dimension is per-lcore."""
    count = candidate['dims'][0]
    elem_name, elem_size, data, guard = element_of(candidate['array'], types)
    finding = {
        'name': candidate['name'],
        'scope': candidate['scope'],
        'struct': candidate.get('struct'),
        'function': candidate['function'],
        'storage': candidate['storage'],
        'optimized_out': candidate['optimized_out'],
        'file': candidate['file'],
        'line': candidate['line'],
        'type': candidate['type'],
        'dims': candidate['dims'],
        'dimension': 'RTE_MAX_LCORE' if count == max_lcore else 'RTE_MAX_LCORE + 1',
        'count': count,
        'element_type': elem_name,
        'element_size': elem_size,
        'element_data_bytes': data,
        'element_padding_bytes': None,
        'element_guard_bytes': guard,
        'element_unused_bytes': None,
        'total_bytes': None,
        'lcore_var_bytes_per_lcore': data,
        'lcore_var_bytes': None,
        'evidence': None,
        'dimension_text': None,
    }
    if elem_size is not None:
        finding['element_padding_bytes'] = elem_size - data - guard
        finding['element_unused_bytes'] = elem_size - data
        finding['total_bytes'] = elem_size * count
        finding['lcore_var_bytes'] = data * max_lcore
    return finding


def make_heap_finding(unit, allocation, max_lcore, types):
    """The report entry of an allocation that sizes a heap array by RTE_MAX_LCORE."""
    line, _, target, allocator, args = allocation
    elem = None
    pointer = unit.pointers.get(target)
    if pointer is not None:
        elem = types.target(types.strip(types.target(pointer)))
    else:
        operand = srctext.element_sizeof(args, allocator)
        if operand and operand.startswith('struct '):
            elem = unit.structs.get(operand.split()[1])
        elif operand and operand.startswith('*') and operand[1:].strip() in unit.pointers:
            elem = types.target(types.strip(types.target(unit.pointers[operand[1:].strip()])))
    size, data, guard = types.layout(elem) if elem is not None else (None, None, 0)
    finding = {
        'name': target, 'scope': 'heap', 'struct': None,
        'function': unit.function_at(line), 'storage': 'heap', 'optimized_out': False,
        'file': unit.path, 'line': line, 'type': allocator + '()', 'dims': [max_lcore],
        'dimension': 'RTE_MAX_LCORE', 'count': max_lcore,
        'element_type': types.name(elem) if elem is not None else None,
        'element_size': size, 'element_data_bytes': data,
        'element_padding_bytes': None, 'element_guard_bytes': guard,
        'element_unused_bytes': None, 'total_bytes': None,
        'lcore_var_bytes_per_lcore': data, 'lcore_var_bytes': None,
        'evidence': 'source text', 'dimension_text': args, 'allocator': allocator,
    }
    if size is not None:
        finding['element_padding_bytes'] = size - (data or 0) - guard
        finding['element_unused_bytes'] = size - (data or 0)
        finding['total_bytes'] = size * max_lcore
        finding['lcore_var_bytes'] = (data or 0) * max_lcore
    return finding


# ---------------------------------------------------------------------------------------
# Inputs

def ar_members(path, data):
    """(member name, bytes) of the members of a System V / GNU ar archive.

    The members of a thin archive (what meson makes of a static library it does not
    install) are files next to it, read from there.
    """
    thin = data.startswith(AR_THIN_MAGIC)
    pos = len(AR_MAGIC)
    long_names = b''
    members = []
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        if header[58:60] != b'`\n':
            raise ScanError('{}: malformed archive member header at offset {}'.format(
                path, pos))
        raw_name = header[0:16].decode('ascii', errors='replace').rstrip()
        try:
            size = int(header[48:58].decode('ascii').strip())
        except ValueError as exc:
            raise ScanError('{}: malformed archive member size'.format(path)) from exc
        special = raw_name in ('/', '/SYM64/', '//', '__.SYMDEF', '__.SYMDEF SORTED')
        inline = special or not thin
        body = data[pos + 60:pos + 60 + size] if inline else b''
        pos += 60 + ((size + (size & 1)) if inline else 0)
        if raw_name == '//':
            long_names = body
            continue
        if special:
            continue
        if raw_name.startswith('#1/'):      # BSD: the name precedes the data
            name_len = int(raw_name[3:])
            name = body[:name_len].rstrip(b'\x00').decode('utf-8', errors='replace')
            body = body[name_len:]
        elif raw_name.startswith('/') and raw_name[1:].isdigit():
            start = int(raw_name[1:])
            end = long_names.find(b'/\n', start)
            name = long_names[start:end if end >= 0 else None].decode(
                'utf-8', errors='replace')
        else:
            name = raw_name[:-1] if raw_name.endswith('/') else raw_name
        if thin:
            member_path = os.path.join(os.path.dirname(path), name)
            try:
                with open(member_path, 'rb') as member:
                    body = member.read()
            except OSError as exc:
                raise ScanError('{}: member {}: {}'.format(
                    path, name, exc.strerror or exc)) from exc
        members.append((name, body))
    return members


def is_scanned_file(path):
    """Whether a file met while walking a folder is one to scan."""
    base = os.path.basename(path)
    if base.endswith(SCANNED_SUFFIXES) or re.search(r'\.so(\.\d+)+$', base):
        return True
    try:
        mode = os.stat(path).st_mode
        if not mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH):
            return False
        with open(path, 'rb') as file:
            return file.read(4) == ELF_MAGIC
    except OSError:
        return False


def expand_inputs(paths):
    """The files to scan: those named, and those found below the folders named.

    Symbolic links met in a folder are not followed (a library's .so links would scan
    it three times); hidden folders are skipped.
    """
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, subdirs, names in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith('.'))
                for name in sorted(names):
                    full = os.path.join(root, name)
                    if not os.path.islink(full) and os.path.isfile(full) \
                            and is_scanned_file(full):
                        files.append(full)
        else:
            files.append(path)
    return files


def elf_units(path):
    """(display name, stream) of each ELF file a path holds (one, or an archive's)."""
    try:
        with open(path, 'rb') as file:
            data = file.read()
    except OSError as exc:
        raise ScanError('{}: {}'.format(path, exc.strerror or exc)) from exc
    if data.startswith(AR_MAGIC) or data.startswith(AR_THIN_MAGIC):
        return [('{}({})'.format(path, name), io.BytesIO(body))
                for name, body in ar_members(path, data) if body.startswith(ELF_MAGIC)]
    if not data.startswith(ELF_MAGIC):
        raise ScanError('{}: not an ELF file or ar archive'.format(path))
    return [(path, io.BytesIO(data))]


# ---------------------------------------------------------------------------------------
# Scanning

class Scanner:
    """Scans ELF files and gathers the report."""

    def __init__(self, args):
        self.args = args
        self.fallback = {}
        self.files = []
        self.skipped = []
        self.errors = []
        self.sources = srctext.SourceFiles()
        # struct members come with the header that declares them into every object that
        # includes it: each is reported once, in the first file scanned that has it
        self.seen_members = set()

    def max_lcore_for(self, macro_values, enumerators, build_folders):
        """(RTE_MAX_LCORE, where it came from, warning or None) for one ELF file."""
        if self.args.max_lcore is not None:
            return self.args.max_lcore, 'command line', None
        for values, source in ((macro_values, 'DWARF macro'),
                               (enumerators, 'DWARF enumerator')):
            if values:
                warning = None
                if len(values) > 1:
                    warning = 'conflicting RTE_MAX_LCORE values {} in the DWARF; ' \
                        'using {} (give --max-lcore to choose)'.format(
                            ', '.join(map(str, values)), values[0])
                return values[0], source, warning
        key = tuple(build_folders)
        if key not in self.fallback:
            self.fallback[key] = fallback_max_lcore(self.args.build_config, build_folders)
        return self.fallback[key][0], self.fallback[key][1], None

    def first_time(self, entry):
        """False for a struct member (or a same-length array of a header) already
        reported for an earlier file of this scan."""
        if entry.get('struct') is None and entry.get('scope') != 'member' and \
                'scope' in entry:
            return True
        key = (entry.get('struct'), entry['name'], entry['file'], entry['line'])
        if key in self.seen_members:
            return False
        self.seen_members.add(key)
        return True

    def evidence(self, candidate, macros):
        """(how the declaration names RTE_MAX_LCORE, the dimension as spelt) of an
        array as long as RTE_MAX_LCORE: 'source text', 'macro', 'length only' when the
        source cannot be read, or None when it spells another dimension."""
        if self.args.no_source:
            return 'length only', None
        text = srctext.dimension_text(self.sources, candidate['file'], candidate['line'],
                                      candidate['name'])
        if text is None:
            return 'length only', None
        key, files = candidate['unit']
        defined = dict(self.sources.unit_defines(key, files))
        defined.update(macros)
        return srctext.names_max_lcore(text, defined), ' '.join(text.split())

    def heap_findings(self, units, macros, max_lcore, types):
        """The allocations of the units' source files that size a heap array by
        RTE_MAX_LCORE, at lines that were compiled."""
        findings = []
        if self.args.no_source:
            return findings
        seen = set()
        for unit in units:
            if unit.path is None or unit.path in seen:
                continue
            seen.add(unit.path)
            defined = dict(self.sources.unit_defines(unit.cu.cu_offset, unit.files))
            defined.update(macros)
            for allocation in srctext.heap_allocations(self.sources, unit.path, defined):
                compiled = unit.compiled_lines()
                if compiled and not compiled & set(range(allocation[0], allocation[1] + 1)):
                    continue
                findings.append(make_heap_finding(unit, allocation, max_lcore, types))
        return findings

    def excluded(self, finding):
        """Whether --exclude patterns drop a finding (by variable name or source file)."""
        for pattern in self.args.exclude:
            if fnmatch.fnmatchcase(finding['name'], pattern) or \
                    (finding['file'] and fnmatch.fnmatchcase(finding['file'], pattern)):
                return True
        return False

    def scan_unit(self, name, stream, path):
        """Scan one ELF file; record its findings, or why it was skipped."""
        try:
            elf = ELFFile(stream)
            info = elf.get_section_by_name('.debug_info')
            if info is None and elf.get_section_by_name('.zdebug_info') is None:
                self.skipped.append({'path': name, 'reason': 'no debug information'})
                return
            if info is not None and is_dwarf5_split(info.data()[:16], elf.little_endian):
                raise ScanError('{}: split DWARF (-gsplit-dwarf) is not supported; build '
                                'without it'.format(name))
            dwarf = elf.get_dwarf_info()
            types = TypeInfo()
            self.sources.units.clear()      # cached by unit offset, which is per file
            try:
                candidates, enumerators, units = collect_arrays(dwarf, types)
            except ScanError as exc:
                raise ScanError('{}: {}'.format(name, exc)) from exc
            macros, macro_values = macro_definitions(elf)
            folders = sorted({u.comp_dir for u in units if u.comp_dir}) + \
                [os.path.dirname(os.path.abspath(path))]
            max_lcore, source, warning = self.max_lcore_for(macro_values, enumerators,
                                                            folders)
            findings, same_length = [], []
            for candidate in candidates:
                if not candidate['dims'] or \
                        candidate['dims'][0] not in (max_lcore, max_lcore + 1):
                    continue
                how, text = self.evidence(candidate, macros)
                if how is None:
                    same_length.append({'name': candidate['name'],
                                        'struct': candidate.get('struct'),
                                        'file': candidate['file'], 'line': candidate['line'],
                                        'dimension_text': text,
                                        'count': candidate['dims'][0]})
                    continue
                finding = make_finding(candidate, max_lcore, types)
                finding['evidence'], finding['dimension_text'] = how, text
                if not self.excluded(finding):
                    findings.append(finding)
            findings += [f for f in self.heap_findings(units, macros, max_lcore, types)
                         if not self.excluded(f)]
            findings = [f for f in findings if self.first_time(f)]
            same_length = [x for x in same_length if self.first_time(x)]
            findings.sort(key=lambda f: (f['file'] or '', f['line'] or 0, f['name']))
        except (ELFError, DWARFError) as exc:
            raise ScanError('{}: {}'.format(name, exc)) from exc
        except (AssertionError, KeyError, IndexError, ValueError, TypeError,
                AttributeError) as exc:
            # pyelftools reports some malformed input this way
            raise ScanError('{}: cannot parse the debug information ({}: {})'.format(
                name, type(exc).__name__, exc)) from exc
        self.files.append({'path': name, 'max_lcore': max_lcore,
                           'max_lcore_source': source, 'warning': warning,
                           'findings': findings, 'excluded': same_length})

    def run(self, paths):
        """Scan every input; return the exit status."""
        for path in expand_inputs(paths):
            try:
                units = elf_units(path)
                if not units:
                    self.skipped.append({'path': path, 'reason': 'no ELF member'})
                for name, stream in units:
                    self.scan_unit(name, stream, path)
            except ScanError as exc:
                self.errors.append(str(exc))
        if not self.files and not self.errors:
            self.errors.append('no input with debug information was scanned '
                               '(build with -g)')
        if self.errors:
            return EXIT_ERROR
        return EXIT_FOUND if any(f['findings'] for f in self.files) else EXIT_NONE

    def summary(self):
        """Totals over every finding."""
        findings = [x for f in self.files for x in f['findings']]
        return {
            'files_scanned': len(self.files),
            'files_skipped': len(self.skipped),
            'findings': len(findings),
            'members': sum(1 for x in findings if x['scope'] == 'member'),
            'heap': sum(1 for x in findings if x['scope'] == 'heap'),
            'excluded': sum(len(f['excluded']) for f in self.files),
            'total_bytes': sum(x['total_bytes'] or 0 for x in findings),
            'lcore_var_bytes': sum(x['lcore_var_bytes'] or 0 for x in findings),
        }


# ---------------------------------------------------------------------------------------
# Reports

def shown_path(path, relative_to):
    """A source path as the report shows it."""
    if path is None:
        return '?'
    if relative_to:
        rel = os.path.relpath(path, relative_to)
        if not rel.startswith('..'):
            return rel
    return path


def json_report(scanner, status):
    """The whole report as a JSON document."""
    files = []
    for entry in scanner.files:
        entry = dict(entry)
        for key in ('findings', 'excluded'):
            entry[key] = [dict(f, file=shown_path(f['file'], scanner.args.relative_to)
                               if f['file'] else None) for f in entry[key]]
        files.append(entry)
    return json.dumps({
        'tool': 'lcore_array_scan',
        'format_version': 1,
        'exit_status': status,
        'files': files,
        'skipped': scanner.skipped,
        'errors': scanner.errors,
        'summary': scanner.summary(),
    }, indent=2) + '\n'


def fmt(value):
    """A number cell of the text table."""
    return '?' if value is None else str(value)


def text_report(scanner):
    """The report as text tables, one per ELF file with findings."""
    out = []
    columns = ('VARIABLE', 'SCOPE', 'DIM', 'SOURCE', 'HOW', 'ELEMENT TYPE', 'ELEM',
               'DATA', 'PAD', 'GUARD', 'TOTAL', 'LCORE VAR')
    right = set(range(6, 12))
    how = {'source text': 'src', 'macro': 'macro', 'length only': 'len'}
    for entry in scanner.files:
        if not entry['findings'] and not entry['excluded']:
            continue
        out.append('{}: RTE_MAX_LCORE {} ({})'.format(entry['path'], entry['max_lcore'],
                                                      entry['max_lcore_source']))
        rows = [columns] if entry['findings'] else []
        for f in entry['findings']:
            name = f['name'] if f['function'] is None else \
                '{}() {}'.format(f['function'], f['name'])
            if f['scope'] == 'member':
                name = '{}.{}'.format(f['struct'], f['name'])
            if f['optimized_out']:
                name += ' (optimized out)'
            if f['storage'] == 'tls':
                name += ' (TLS)'
            where = '{}:{}'.format(shown_path(f['file'], scanner.args.relative_to),
                                   fmt(f['line']))
            dim = 'N' if f['dimension'] == 'RTE_MAX_LCORE' else 'N+1'
            rows.append((name, f['scope'], dim, where, how.get(f['evidence'], '?'),
                         f['element_type'] or '?',
                         fmt(f['element_size']), fmt(f['element_data_bytes']),
                         fmt(f['element_padding_bytes']), fmt(f['element_guard_bytes']),
                         fmt(f['total_bytes']), fmt(f['lcore_var_bytes'])))
        widths = [max(len(str(row[i])) for row in rows) if rows else 0
                  for i in range(len(columns))]
        for row in rows:
            cells = [str(cell).rjust(widths[i]) if i in right else str(cell).ljust(widths[i])
                     for i, cell in enumerate(row)]
            out.append('  ' + '  '.join(cells).rstrip())
        for x in entry['excluded']:
            out.append('  not per-lcore: {}{} ({}:{}), [{}], as long as RTE_MAX_LCORE'.format(
                x['struct'] + '.' if x['struct'] else '', x['name'],
                shown_path(x['file'], scanner.args.relative_to), fmt(x['line']),
                x['dimension_text']))
        out.append('')
    total = scanner.summary()
    if total['findings']:
        out.append('N = RTE_MAX_LCORE; HOW the declaration says so (src: its text, macro:')
        out.append('through a macro, len: its length, the source was not found); ELEM = bytes')
        out.append('per element, of which DATA are members, PAD alignment padding and GUARD')
        out.append('cache guard; TOTAL = bytes of the array (per instance for a member);')
        out.append('LCORE VAR = N x DATA, what an lcore variable of the unpadded type takes.')
        out.append('')
    out.append('{} per-lcore array(s) ({} struct members, {} on the heap) in {} file(s) '
               'scanned: {} bytes; as lcore variables: {} bytes; {} array(s) of the same '
               'length are not per-lcore'.format(
                   total['findings'], total['members'], total['heap'],
                   total['files_scanned'], total['total_bytes'], total['lcore_var_bytes'],
                   total['excluded']))
    return '\n'.join(out) + '\n'


def parse_args(argv):
    """The command line."""
    parser = argparse.ArgumentParser(
        prog='lcore_array_scan.py',
        description='Report the global and static arrays of RTE_MAX_LCORE (or '
        'RTE_MAX_LCORE + 1) elements in ELF files built with debug information: '
        'candidates for lcore variables.',
        epilog='Exit status: 0 none found, 1 some found, 2 error. RTE_MAX_LCORE comes '
        'from --max-lcore, else the DWARF of each file (macro info with -g3, or an '
        'enumerator), else --build-config or the installed DPDK\'s rte_build_config.h, '
        'else {}.'.format(DEFAULT_MAX_LCORE))
    parser.add_argument('paths', nargs='+', metavar='PATH',
                        help='object, shared library, executable or ar archive; folders '
                        'are searched for *.o, *.so*, *.a and ELF executables')
    parser.add_argument('--max-lcore', type=int, metavar='N',
                        help='the value of RTE_MAX_LCORE the files were built with')
    parser.add_argument('--build-config', metavar='FILE',
                        help='rte_build_config.h to read RTE_MAX_LCORE from when the '
                        'DWARF does not tell it')
    parser.add_argument('--json', action='store_true', help='write the report as JSON')
    parser.add_argument('--exclude', action='append', default=[], metavar='PATTERN',
                        help='leave out variables whose name or source file matches this '
                        'shell pattern (may be repeated)')
    parser.add_argument('--relative-to', metavar='DIR',
                        help='show source files below DIR relative to it')
    parser.add_argument('--no-source', action='store_true',
                        help='do not read the source files: report every array of the '
                        'right length, and no heap array')
    parser.add_argument('-q', '--quiet', action='store_true',
                        help='do not list the files skipped for lack of debug information')
    args = parser.parse_args(argv)
    if args.max_lcore is not None and args.max_lcore < 1:
        parser.error('--max-lcore must be at least 1')
    return args


def main(argv=None):
    """Entry point; returns the exit status."""
    try:
        args = parse_args(argv)
    except SystemExit as exc:
        return EXIT_ERROR if exc.code else EXIT_NONE
    scanner = Scanner(args)
    try:
        status = scanner.run(args.paths)
    except ScanError as exc:
        scanner.errors.append(str(exc))
        status = EXIT_ERROR
    if args.json:
        sys.stdout.write(json_report(scanner, status))
    else:
        sys.stdout.write(text_report(scanner))
    for entry in scanner.files:
        if entry['warning']:
            sys.stderr.write('lcore_array_scan: {}: {}\n'.format(entry['path'],
                                                                entry['warning']))
    if not args.quiet:
        for entry in scanner.skipped:
            sys.stderr.write('lcore_array_scan: skipped {}: {}\n'.format(entry['path'],
                                                                        entry['reason']))
    for error in scanner.errors:
        sys.stderr.write('lcore_array_scan: error: {}\n'.format(error))
    return status


if __name__ == '__main__':
    sys.exit(main())
