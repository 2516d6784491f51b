# Reads workbooks with openpyxl (Debian's python3-openpyxl, an independent
# reader) and prints, as JSON, each file's sheet names and its first sheet's
# rows with every cell as openpyxl typed it (numbers stay numbers).
# Usage: /usr/bin/python3 read_xlsx.py FILE...
import json, sys
import openpyxl

out = {}
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path, read_only=True)
    data = wb[wb.sheetnames[0]]
    rows = [[c if isinstance(c, (int, float, str)) or c is None else str(c) for c in r]
            for r in data.iter_rows(values_only=True)]
    about = [list(r) for r in wb[wb.sheetnames[1]].iter_rows(values_only=True)] if len(wb.sheetnames) > 1 else []
    out[path] = {"sheets": wb.sheetnames, "rows": rows, "about": about}
print(json.dumps(out))
