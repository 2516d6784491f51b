#!/usr/bin/python3
"""Writes the synthetic investment fixtures of tests/data/invest/ in the
shapes of the public trackers (which may not be redistributed): the AEI China
Global Investment Tracker workbook (three datasets under five title rows, a
notes sheet) and the CSV export of its first sheet, whose amounts read
' $\\t1.890 '. Every company, amount and date here is invented. Run with
Debian's python3 (openpyxl): /usr/bin/python3 tests/tools/make-invest-fixtures.py"""
import csv, os, openpyxl

here = os.path.join(os.path.dirname(__file__), "..", "data", "invest")
TITLE = ["China Global Investment Tracker (SYNTHETIC TEST DATA)",
         "Copyright notice would be here", "", "Figures in US$ millions", ""]
D1 = ["Year", "Month", "Investor", "Quantity in Millions", "Share Size", "Transaction Party",
      "Sector", "Subsector", "Country", "Region", "BRI", "Greenfield"]
D1_ROWS = [
    [2019, "January", "CNPC", 1890, 0.5, "KazMunayGas", "Energy", "Oil", "Kazakhstan",
     "West Asia", "BRI", None],
    [2021, "July", "CITIC", 300, None, None, "Metals", "Copper", "Kazakhstan", "West Asia",
     "BRI", "G"],
    [2022, "March", "Hong Kong Harbour Holdings", 120, 1, None, "Logistics", None,
     "Kazakhstan", "West Asia", "BRI", "g"],
    [2023, "September", "COSCO", 250, 0.49, "Kazakhstan Temir Zholy", "Transport", "Shipping",
     "Kazakhstan", "West Asia", "BRI", "G"],
    [2020, "May", "State Grid", 450, 0.3, None, "Energy", "Hydro", "Uzbekistan", "West Asia",
     "BRI", None],
]
D2 = ["Year", "Month", "Contractor", "Quantity in Millions", "Share Size", "Transaction Party",
      "Sector", "Subsector", "Country", "Region", "BRI"]
D2_ROWS = [
    [2018, "October", "China Railway Group", 600, None, None, "Transport", "Rail",
     "Kazakhstan", "West Asia", "BRI"],
    [2024, "February", "PowerChina", 200, None, None, "Energy", "Alternative", "Kazakhstan",
     "West Asia", "BRI"],
]
D3 = ["Year", "Month", "Chinese Entity", "Quantity in Millions", "Transaction Party", "Sector",
      "Subsector", "Country", "Region", "Greenfield", "BRI"]
D3_ROWS = [
    [2017, "June", "CEFC", 400, "KazMunayGas", "Energy", "Oil", "Kazakhstan", "West Asia",
     None, "BRI"],
]


def sheet(wb, name, header, rows):
    ws = wb.create_sheet(name)
    for line in TITLE:
        ws.append([line] if line else [])
    ws.append(header)
    for r in rows:
        ws.append(r)


wb = openpyxl.Workbook()
wb.remove(wb.active)
notes = wb.create_sheet("Notes")
notes.append(["Synthetic workbook for tests"])
sheet(wb, "Dataset 1", D1, D1_ROWS)
sheet(wb, "Dataset 2", D2, D2_ROWS)
sheet(wb, "Dataset 3", D3, D3_ROWS)
wb.save(os.path.join(here, "aei-tracker.xlsx"))


def thousands(n):  # AEI's export: " $\t1.890 " ("." separates thousands)
    s = f"{n:,}".replace(",", ".")
    return f" $\t{s} "


with open(os.path.join(here, "aei-dataset1.csv"), "w", newline="", encoding="cp1252") as f:
    w = csv.writer(f, lineterminator="\r\n")
    for line in TITLE:
        w.writerow([line] if line else [])
    w.writerow(D1)
    for r in D1_ROWS:
        r = ["" if v is None else v for v in r]
        r[3] = thousands(r[3])
        w.writerow(r)

# AidData GCDF 3.0: 126 columns; those corridor reads carry their real names,
# the rest are padded with further real-looking names.
AID = ["AidData Record ID", "AidData Parent ID", "Recommended For Aggregates", "Umbrella",
       "Financier Country", "Recipient", "Recipient ISO-3", "Recipient Region",
       "Commitment Year", "Implementation Start Year", "Completion Year", "Title",
       "Description", "Staff Comments", "Status", "Intent", "Flow Type", "Flow Type Simplified",
       "Flow Class", "Sector Code", "Sector Name", "Infrastructure", "Funding Agencies",
       "Funding Agencies Type", "Co-financing Agencies", "Implementing Agencies",
       "Amount (Original Currency)", "Original Currency", "Amount (Constant USD 2021)",
       "Amount (Nominal USD)", "Commitment Date (MM/DD/YYYY)",
       "Planned Implementation Start Date (MM/DD/YYYY)",
       "Actual Implementation Start Date (MM/DD/YYYY)",
       "Planned Completion Date (MM/DD/YYYY)", "Actual Completion Date (MM/DD/YYYY)",
       "Maturity", "Interest Rate", "Grace Period", "Source Quality Score",
       "Data Completeness Score", "Project Implementation Score", "Loan Type"]
AID += [f"Further Field {i:03d}" for i in range(len(AID) + 1, 127)]
assert len(AID) == 126
AID_ROWS = [
    {"AidData Record ID": "1001", "Recommended For Aggregates": "Yes",
     "Financier Country": "China (People's Republic of)", "Recipient": "Kazakhstan",
     "Recipient ISO-3": "KAZ", "Commitment Year": "2015", "Title": "Light rail loan (synthetic)",
     "Status": "Implementation", "Flow Type": "Loan", "Flow Class": "OOF-like",
     "Sector Name": "TRANSPORT AND STORAGE",
     "Funding Agencies": "China Development Bank|Export-Import Bank of China",
     "Amount (Original Currency)": "1500000000.00", "Original Currency": "USD",
     "Amount (Constant USD 2021)": "1702345678.12", "Amount (Nominal USD)": "1500000000.00",
     "Commitment Date (MM/DD/YYYY)": "05/20/2015",
     "Actual Implementation Start Date (MM/DD/YYYY)": "03/01/2016"},
    {"AidData Record ID": "1002", "Recommended For Aggregates": "No",
     "Financier Country": "China (People's Republic of)", "Recipient": "Kazakhstan",
     "Recipient ISO-3": "KAZ", "Commitment Year": "2015",
     "Title": "Light rail loan, umbrella record (synthetic)", "Status": "Implementation",
     "Flow Type": "Loan", "Sector Name": "TRANSPORT AND STORAGE",
     "Amount (Nominal USD)": "1500000000.00"},
    {"AidData Record ID": "1003", "Recommended For Aggregates": "Yes",
     "Financier Country": "China (People's Republic of)", "Recipient": "Kazakhstan",
     "Recipient ISO-3": "KAZ", "Commitment Year": "2017",
     "Title": "Refinery modernisation (synthetic)", "Status": "Completion",
     "Flow Type": "Loan", "Flow Class": "OOF-like",
     "Sector Name": "INDUSTRY, MINING, CONSTRUCTION",
     "Funding Agencies": "Export-Import Bank of China",
     "Amount (Original Currency)": "8000000000.00", "Original Currency": "CNY",
     "Amount (Nominal USD)": "1200000000.50",
     "Commitment Date (MM/DD/YYYY)": "09/01/2017",
     "Actual Implementation Start Date (MM/DD/YYYY)": "01/15/2018",
     "Actual Completion Date (MM/DD/YYYY)": "10/30/2018"},
    {"AidData Record ID": "1004", "Recommended For Aggregates": "Yes",
     "Financier Country": "China (People's Republic of)", "Recipient": "Asia, regional",
     "Recipient ISO-3": "", "Commitment Year": "2018", "Title": "Regional training (synthetic)",
     "Status": "Completion", "Flow Type": "Grant", "Sector Name": "EDUCATION",
     "Amount (Nominal USD)": "1000000.00"},
    {"AidData Record ID": "1005", "Recommended For Aggregates": "Yes",
     "Financier Country": "China (People's Republic of)", "Recipient": "Kazakhstan",
     "Recipient ISO-3": "KAZ", "Commitment Year": "2019",
     "Title": "Grain terminal grant (synthetic)", "Status": "Pipeline: Pledge",
     "Flow Type": "Grant", "Flow Class": "ODA-like",
     "Sector Name": "AGRICULTURE, FORESTRY, FISHING",
     "Amount (Nominal USD)": "25000000.00"},
    {"AidData Record ID": "1006", "Recommended For Aggregates": "Yes",
     "Financier Country": "China (People's Republic of)", "Recipient": "Uzbekistan",
     "Recipient ISO-3": "UZB", "Commitment Year": "2016", "Title": "Power line loan (synthetic)",
     "Status": "Cancelled", "Flow Type": "Loan", "Sector Name": "ENERGY",
     "Amount (Nominal USD)": "300000000.00", "Commitment Date (MM/DD/YYYY)": "02/10/2016"},
]
with open(os.path.join(here, "aiddata-gcdf3.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=AID, restval="")
    w.writeheader()
    for r in AID_ROWS:
        w.writerow(r)

# a workbook that is not the tracker's
other = openpyxl.Workbook()
other.active.title = "Sheet1"
other.active.append(["Year", "Amount"])
other.save(os.path.join(here, "other-workbook.xlsx"))

# amounts written as text in the workbook, as a hand-edited copy may hold
# them, and a Dataset 3 sheet whose header says Investor (a sheet moved)
odd = openpyxl.Workbook()
odd.remove(odd.active)
ws = odd.create_sheet("Dataset 1")
for line in TITLE:
    ws.append([line] if line else [])
ws.append(D1)
ws.append([2019, "January", "Text Amount Co", " $\t1.890 ", None, None, "Energy", "Oil",
           "Kazakhstan", "West Asia", "BRI", None])
ws.append([2020, "February", "Number Amount Co", 2500, None, None, "Energy", "Oil",
           "Kazakhstan", "West Asia", "BRI", "G"])
ws.append([2021, "March", "Decimal Text Co", "1.89", None, None, "Energy", "Oil",
           "Kazakhstan", "West Asia", "BRI", "G"])
odd.save(os.path.join(here, "aei-text-amounts.xlsx"))
moved = openpyxl.Workbook()
moved.remove(moved.active)
ws = moved.create_sheet("Dataset 3")
for line in TITLE:
    ws.append([line] if line else [])
ws.append(D1)
ws.append(D1_ROWS[0])
moved.save(os.path.join(here, "aei-misplaced-sheet.xlsx"))
