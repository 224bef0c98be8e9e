# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""C source text helpers of devtools/lcore_var_migrate.py.

Coccinelle does the matching and the rewriting; what it cannot tell, this module reads
from the text: where comments and strings are (so that a name in them is not a use),
where each function begins and ends, which functions a function calls, every place a
name appears (to find the uses Coccinelle did not see, in macro bodies for instance),
and the few edits around the rewrite (the element type's cache alignment and guards,
the #include, the indentation of continuation lines spatch re-flowed).
"""

import difflib
import os
import re
import subprocess
import tempfile

C_KEYWORDS = frozenset('''
    auto break case char const continue default do double else enum extern float for goto
    if inline int long register restrict return short signed sizeof static struct switch
    typedef union unsigned void volatile while _Alignas _Alignof _Atomic _Bool _Generic
    _Noreturn _Static_assert _Thread_local typeof __typeof__ asm __asm__ __attribute__
'''.split())

IDENT = re.compile(r'[A-Za-z_]\w*')

# alignment attributes that only keep lcores apart, and the guard members doing the same
CACHE_ALIGN_ATTRS = re.compile(
    r'\s*(__rte_cache_aligned|__rte_cache_min_aligned|'
    r'__rte_aligned\s*\(\s*RTE_CACHE_LINE_SIZE\s*\)|'
    r'__attribute__\s*\(\s*\(\s*(__)?aligned(__)?\s*\(\s*RTE_CACHE_LINE_SIZE\s*\)\s*\)\s*\))')
GUARD_MEMBER = re.compile(
    r'^[ \t]*(RTE_CACHE_GUARD|'
    r'(?:char|unsigned\s+char|uint8_t|int8_t)\s+(?P<name>\w*(?:guard|pad|padding|filler)\w*)'
    r'\s*\[[^\]]*\])\s*;[ \t]*(/\*.*?\*/)?[ \t]*\n', re.M)


def mask(text):
    """The text with comments, string and character literals blanked out (newlines and
    offsets kept), so that searches only see code."""
    out = list(text)

    def blank(start, end):
        for j in range(start, end):
            if out[j] != '\n':
                out[j] = ' '

    i, n = 0, len(text)
    while i < n:
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            blank(i, end)
            i = end
        elif text.startswith('//', i):
            end = text.find('\n', i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif text[i] in '"\'':
            quote, j = text[i], i + 1
            while j < n and text[j] != quote and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            blank(i + 1, min(j, n))
            i = j + 1
        else:
            i += 1
    return ''.join(out)


class Source:
    """One C file: its text, masked text, line offsets and function extents."""

    def __init__(self, text):
        self.text = text
        self.code = mask(text)
        self.line_starts = [0]
        for match in re.finditer('\n', text):
            self.line_starts.append(match.end())
        self.functions = []         # (name, head line, body start offset, body end offset)

    def offset(self, line, column):
        """Offset of a 1-based line and 0-based column."""
        return self.line_starts[line - 1] + column

    def line_of(self, offset):
        """1-based line of an offset."""
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def line_text(self, line):
        """The text of a 1-based line, without its newline."""
        start = self.line_starts[line - 1]
        end = self.text.find('\n', start)
        return self.text[start:end if end >= 0 else None]

    def matching_brace(self, open_offset):
        """Offset just past the brace that closes the one at open_offset, or None."""
        depth = 0
        for i in range(open_offset, len(self.code)):
            c = self.code[i]
            if c == '{':
                depth += 1
            elif c == '}':
                depth -= 1
                if depth == 0:
                    return i + 1
        return None

    def add_function(self, name, line, column):
        """Record a function definition whose name token is at line:column."""
        start = self.code.find('{', self.offset(line, column))
        if start < 0:
            return
        end = self.matching_brace(start)
        if end is not None:
            self.functions.append((name, line, start, end))

    def function_at(self, line):
        """(name, head line, body start, body end) of the function holding a line, or
        None at file scope."""
        offset = self.line_starts[line - 1]
        for func in self.functions:
            if self.line_of(func[2]) <= line and offset < func[3]:
                return func
        return None

    def constructor_name(self, func):
        """The name a constructor defines (RTE_INIT(name), RTE_INIT_PRIO(name, prio), or
        a function with __attribute__((constructor))), or None for other functions."""
        name, line = func[0], func[1]
        if name in ('RTE_INIT', 'RTE_INIT_PRIO'):
            match = re.search(r'RTE_INIT(?:_PRIO)?\s*\(\s*(\w+)', self.code[
                self.line_starts[line - 1]:func[2]])
            return match.group(1) if match else None
        head_start = self.line_starts[max(line - 3, 0)]
        if 'constructor' in self.code[head_start:func[2]]:
            return name
        return None

    def callees(self, func):
        """Names the body of a function calls (or mentions as a call)."""
        body = self.code[func[2]:func[3]]
        return {m.group(1) for m in re.finditer(r'\b([A-Za-z_]\w*)\s*\(', body)
                if m.group(1) not in C_KEYWORDS}

    def identifiers(self, start, end):
        """The identifiers of the code between two offsets."""
        return set(IDENT.findall(self.code[start:end]))

    def occurrences(self, name):
        """(line, column) of every appearance of a name in code, leaving out members of
        other objects (x.name, x->name) and struct, union or enum tags."""
        found = []
        for match in re.finditer(r'\b{}\b'.format(re.escape(name)), self.code):
            before = self.code[max(0, match.start() - 8):match.start()].rstrip()
            if before.endswith(('.', '->')) or re.search(r'\b(struct|union|enum)$', before):
                continue
            line = self.line_of(match.start())
            found.append((line, match.start() - self.line_starts[line - 1]))
        return found

    def in_macro_definition(self, line):
        """Whether a line belongs to a #define (continued lines included)."""
        first = line
        while first > 1 and self.line_text(first - 1).rstrip().endswith('\\'):
            first -= 1
        return re.match(r'\s*#\s*define\b', self.line_text(first)) is not None

    def pasted_fragments(self):
        """(line, fragment) of the identifier fragments that #define bodies paste with
        ##: a name starting or ending with one may be built where no search sees it."""
        found = []
        for match in re.finditer(r'^[ \t]*#[ \t]*define\b.*(?:\\\n.*)*', self.code, re.M):
            body = match.group(0)
            for frag in re.finditer(r'(\w+)\s*##|##\s*(\w+)', body):
                fragment = frag.group(1) or frag.group(2)
                if len(fragment) >= 2 and not fragment.isdigit():
                    found.append((self.line_of(match.start()), fragment))
        return found

    def loop_extent(self, line):
        """(start, end) offsets of the for loop beginning on a line, its body included."""
        start = self.code.find('for', self.line_starts[line - 1])
        paren = self.code.find('(', start)
        depth, i = 0, paren
        while i < len(self.code):
            if self.code[i] == '(':
                depth += 1
            elif self.code[i] == ')':
                depth -= 1
                if depth == 0:
                    break
            i += 1
        j = i + 1
        while j < len(self.code) and self.code[j].isspace():
            j += 1
        if j < len(self.code) and self.code[j] == '{':
            return start, self.matching_brace(j) or len(self.code)
        return start, self.code.find(';', j) + 1


def pointer_names(code, type_name):
    """Names declared as pointers to a type in some code, the most common first."""
    counts = {}
    pattern = r'\b{}\s*\*\s*(?:const\s+)?([A-Za-z_]\w*)\s*[;=,)]'.format(
        re.escape(type_name).replace(r'\ ', r'\s+'))
    for match in re.finditer(pattern, code):
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def struct_definition(src, tag):
    """(body start, body end, end of the declaration) offsets of 'struct tag { ... }'
    in a file, or None when the file does not define it."""
    for match in re.finditer(r'\bstruct\s+{}\s*\{{'.format(re.escape(tag)), src.code):
        end = src.matching_brace(match.end() - 1)
        if end is None:
            continue
        semi = src.code.find(';', end)
        return match.end(), end, semi
    return None


def typedef_struct(src, name):
    """The struct tag a typedef name stands for in a file, or None."""
    match = re.search(r'\btypedef\s+struct\s+(\w+)\s+{}\s*;'.format(re.escape(name)),
                      src.code)
    if match:
        return match.group(1)
    for match in re.finditer(r'\btypedef\s+struct\s+(\w+)\s*\{', src.code):
        end = src.matching_brace(match.end() - 1)
        if end and re.match(r'[^;{{}}]*\b{}\s*;'.format(re.escape(name)), src.code[end:]):
            return match.group(1)
    return None


def other_struct_uses(src, tag, allowed_lines):
    """Lines where 'struct tag' names an object (not a pointer) outside the lines given:
    other variables or members of the type, whose layout the element type's alignment
    may serve."""
    lines = []
    pattern = r'\bstruct\s+{}\b(?!\s*\{{)(\s*(?:const\s+|volatile\s+)*)(\*?)'.format(
        re.escape(tag))
    for match in re.finditer(pattern, src.code):
        if match.group(2):
            continue
        line = src.line_of(match.start())
        if line in allowed_lines:
            continue
        after = src.code[match.end():match.end() + 1]
        if after in (')', ','):     # sizeof(struct tag), a cast, a parameter type
            continue
        lines.append(line)
    return lines


def drop_cache_alignment(text, tag, keep_names):
    """Remove the cache alignment attribute and the cache guard members of struct tag.

    keep_names: identifiers used elsewhere in the file, whose members are not removed.
    Returns (new text, list of what was removed)."""
    src = Source(text)
    where = struct_definition(src, tag)
    if where is None:
        return text, []
    body_start, body_end, semi = where
    removed = []
    tail = text[body_end:semi]
    new_tail, count = CACHE_ALIGN_ATTRS.subn('', tail)
    if count:
        removed.append('alignment {}'.format(CACHE_ALIGN_ATTRS.search(tail).group(1)))
    body = text[body_start:body_end - 1]

    def drop_guard(match):
        name = match.group('name')
        if name and name in keep_names:
            return match.group(0)
        removed.append('member {}'.format(match.group(1).split('[')[0].split()[-1]
                                          if name else 'RTE_CACHE_GUARD'))
        return ''

    new_body = GUARD_MEMBER.sub(drop_guard, body)
    return (text[:body_start] + new_body + text[body_end - 1:body_end] + new_tail +
            text[semi:]), removed


def tidy_allocations(text):
    """Put the allocation statements the rewrite placed at the start of a function before
    the comment that introduces the next statement (spatch puts them after it), and a
    blank line after them."""
    alloc = r'(?:[ \t]*RTE_LCORE_VAR_ALLOC(?:_SIZE_ALIGN)?\([^;\n]*\);\n|' \
        r'[ \t]*if \(\w+ == NULL\)\n[ \t]*RTE_LCORE_VAR_ALLOC(?:_SIZE_ALIGN)?\([^;\n]*\);\n)+'
    comment = r'(?:[ \t]*/\*[^\n]*\*/\n)+'
    text = re.sub(r'(?P<comment>{})(?P<alloc>{})'.format(comment, alloc),
                  lambda m: m.group('alloc') + '\n' + m.group('comment'), text)
    return re.sub(r'(?P<alloc>{})(?![ \t]*(?:RTE_LCORE_VAR_ALLOC|if \(\w+ == NULL\)|else\b))'
                  r'(?=[ \t]*[^\s}}])'.format(alloc),
                  lambda m: m.group('alloc') + '\n', text)


DECLARATION = re.compile(r'^\t[A-Za-z_][\w \t]*?[ \t*]+\w+(?:\s*=\s*[^;]*)?;$')


def separate_declarations(old, new):
    """A blank line between the declarations that open a function and its first
    statement, where the rewrite added a declaration to a function that had none, or
    had no blank line."""
    known = {l.strip() for l in old.splitlines()}
    lines = new.splitlines(keepends=True)
    out = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].rstrip('\n') != '{' or i + 1 >= len(lines):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and DECLARATION.match(lines[j].rstrip('\n')):
            j += 1
        added = any(l.strip() not in known for l in lines[i + 1:j])
        out.extend(lines[i + 1:j])
        if added and j > i + 1 and j < len(lines) and lines[j].strip() and \
                lines[j].strip() != '}':
            out.append('\n')
        i = j
    return ''.join(out)


def add_include(text, header):
    """Add #include <header> after the last #include <rte_...> (or the last #include)
    of the file, unless it is there. Returns (new text, whether it was added)."""
    if re.search(r'#\s*include\s*[<"]{}[>"]'.format(re.escape(header)), text):
        return text, False
    includes = list(re.finditer(r'^[ \t]*#[ \t]*include[ \t]*<([^>]+)>[^\n]*\n', text, re.M))
    if not includes:
        return '#include <{}>\n'.format(header) + text, True
    rte = [m for m in includes if m.group(1).startswith('rte_')] if \
        header.startswith('rte_') else [m for m in includes if '/' not in m.group(1) and
                                        not m.group(1).startswith('rte_')]
    anchor = (rte or includes)[-1]
    if not header.startswith('rte_') and not rte:
        anchor_pos = includes[0].start()
        return text[:anchor_pos] + '#include <{}>\n'.format(header) + text[anchor_pos:], True
    pos = anchor.end()
    return text[:pos] + '#include <{}>\n'.format(header) + text[pos:], True


def restore_indentation(old, new):
    """Give the lines spatch re-indented, but did not otherwise change, back their
    original indentation (spatch aligns the continuation lines of a call it rewrote with
    spaces, where DPDK code uses tabs)."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, [l.strip() for l in old_lines],
                                      [l.strip() for l in new_lines], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != 'equal':
            continue
        for i, j in zip(range(i1, i2), range(j1, j2)):
            if old_lines[i] != new_lines[j] and old_lines[i].strip():
                new_lines[j] = old_lines[i]
    return ''.join(new_lines)


def unified_diff(old, new, path):
    """A patch -p1 / git apply diff of one file: GNU diff's, whose hunks read better,
    else difflib's."""
    with tempfile.TemporaryDirectory(prefix='lcore-var-diff-') as tmp:
        files = []
        for name, text in (('old', old), ('new', new)):
            files.append(os.path.join(tmp, name))
            with open(files[-1], 'w', encoding='utf-8', errors='surrogateescape') as file:
                file.write(text)
        try:
            proc = subprocess.run(['diff', '-u', '--label', 'a/' + path, '--label',
                                   'b/' + path] + files, capture_output=True, check=False,
                                  timeout=60)
            if proc.returncode in (0, 1):
                return proc.stdout.decode('utf-8', errors='surrogateescape')
        except (OSError, subprocess.SubprocessError):
            pass
    return ''.join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True),
                                        'a/' + path, 'b/' + path))
