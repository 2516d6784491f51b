#!/usr/bin/python3
"""Independent derivation of the expected outputs whose tonnages lost their
trailing zeros (2,000,000 t; 12.5 t) when text for people stopped writing
three decimals: cases 107, 112, 115, 117, 126, 127 and 154.

Reads each file as it stood before that change (commit 5186b58), applies
the rule to every tonnage written for people, and lays the text tables out
again by the renderer's documented rule, without running corridor; prints
"same" when the result equals the committed file.

Usage: tests/tools/rederive_tonnes.py tests/cases/107-grain-cap-exceeded/expected ...
"""
import os, re, subprocess, sys
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = '5186b58'
def trim(m):
    d = m.group(2).rstrip('0')
    return m.group(1) + ('.' + d if d else '')
def human(line):
    # a tonnage is followed by " t", or ends a "from X to Y" bound
    line = re.sub(r'(?<![\d.,])(\d{1,3}(?:,\d{3})*|\d+)\.(\d{3})(?= t\b)', trim, line)
    line = re.sub(r'(mass in tonnes from )(\S+)( to )(\d{1,3}(?:,\d{3})*)\.(\d{3})',
                  lambda m: m.group(1) + m.group(2) + m.group(3) + m.group(4) +
                  ('.' + m.group(5).rstrip('0') if m.group(5).rstrip('0') else ''), line)
    return line
def cells(line, spans):
    return [line[a:b] for a, b in spans]
def relayout(lines):
    out, i = [], 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i + 1] and set(lines[i + 1]) <= set('- ') and '-' in lines[i + 1]:
            dash = lines[i + 1]
            spans = [(m.start(), m.end()) for m in re.finditer(r'-+', dash)]
            j = i + 2
            rows = []
            def fits(l):
                if len(l) < spans[-1][0]: return False
                return all(l[b:b + 2] == '  ' for a, b in spans[:-1])
            while j < len(lines) and lines[j].strip() and fits(lines[j]):
                rows.append(lines[j]); j += 1
            head = [lines[i][a:b if k < len(spans) - 1 else None].strip() for k, (a, b) in enumerate(spans)]
            body = []
            hraw = [lines[i][a:b if k < len(spans) - 1 else None] for k, (a, b) in enumerate(spans)]
            right = [h[:1] == ' ' for h in hraw]
            for r in rows:
                cs = []
                for k, (a, b) in enumerate(spans):
                    raw = r[a:b if k < len(spans) - 1 else None]
                    if raw[:1] == ' ' and raw.strip(): right[k] = True
                    cell = raw.strip()
                    if head[k].endswith(', t'):  # a tonnage column: the same rule as " t"
                        cell = re.sub(r'^(\d{1,3}(?:,\d{3})*)\.(\d{3})$', trim, cell)
                    cs.append(human(cell))
                body.append(cs)
            w = [max([len(head[k])] + [len(c[k]) for c in body]) for k in range(len(spans))]
            def fmt(cs):
                parts = []
                for k, c in enumerate(cs):
                    last = k == len(cs) - 1
                    parts.append(c.rjust(w[k]) if right[k] else (c if last else c.ljust(w[k])))
                return '  '.join(parts)
            out.append(fmt(head)); out.append('  '.join('-' * x for x in w))
            out += [fmt(c) for c in body]
            i = j
        else:
            out.append(human(lines[i])); i += 1
    return out
bad = 0
for f in sys.argv[1:]:
    old = subprocess.run(['git', '-C', ROOT, 'show', f'{BASE}:{f}'], capture_output=True, text=True).stdout
    want = '\n'.join(relayout(old.split('\n')))
    have = open(f'{ROOT}/{f}').read()
    if want != have:
        bad += 1
        print('DIFFERS', f)
        for a, b in zip(want.split('\n'), have.split('\n')):
            if a != b: print('  derived:', repr(a)); print('  file:   ', repr(b))
    else:
        print('same', f)
print('files differing:', bad)
