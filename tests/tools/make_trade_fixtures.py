#!/usr/bin/python3
"""Writes the trade fixtures in the shapes people download (tests/data):
UN Comtrade plus web CSV (Latin-1, CRLF, every field quoted, a trailing
comma on each data row), plus API JSON, legacy API JSON, a legacy CSV
exported from the plus site, a gzipped tab-separated bulk file, comtradr's
snake_case CSV, CEPII BACI files and their country table, a SITC file and a
single-product file. The figures are synthetic; the expected outputs of the
cases that read them are worked out by hand in each case's cmd."""
import gzip, json, os, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data')

PLUS = ("typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
        "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,"
        "partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
        "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
        "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
        "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,"
        "isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,"
        "isAggregate").split(',')
assert len(PLUS) == 47

PARTNERS = {0: ('W00', 'World'), 156: ('CHN', 'China'), 384: ('CIV', "C\u00f4te d'Ivoire"),
            792: ('TUR', 'T\u00fcrkiye'), 417: ('KGZ', 'Kyrgyzstan')}
FLOWS = {'X': 'Export', 'M': 'Import'}


def plus_row(year, flow, partner, cmd, value, net='', unit=(-1, 'N/A'), qty='0', mot=0,
             freq='A', month=52, reporter=(398, 'KAZ', 'Kazakhstan'), p2=0):
    iso, desc = PARTNERS[partner]
    agg = 0 if cmd == 'TOTAL' else len(cmd)
    period = str(year) if freq == 'A' else '%d%02d' % (year, month)
    return {
        'typeCode': 'C', 'freqCode': freq, 'refPeriodId': '%s01' % period if freq == 'A' else period + '01',
        'refYear': year, 'refMonth': month, 'period': period, 'reporterCode': reporter[0],
        'reporterISO': reporter[1], 'reporterDesc': reporter[2], 'flowCode': flow,
        'flowDesc': FLOWS[flow], 'partnerCode': partner, 'partnerISO': iso, 'partnerDesc': desc,
        'partner2Code': p2, 'partner2ISO': 'W00' if p2 == 0 else 'CHN',
        'partner2Desc': 'World' if p2 == 0 else 'China', 'classificationCode': 'H6',
        'classificationSearchCode': 'HS', 'isOriginalClassification': 'True', 'cmdCode': cmd,
        'cmdDesc': 'All Commodities' if cmd == 'TOTAL' else 'goods ' + cmd, 'aggrLevel': agg,
        'isLeaf': 'False', 'customsCode': 'C00', 'customsDesc': 'TOTAL CPC', 'mosCode': '0',
        'motCode': mot, 'motDesc': 'TOTAL MOT' if mot == 0 else 'Road', 'qtyUnitCode': unit[0],
        'qtyUnitAbbr': unit[1], 'qty': qty, 'isQtyEstimated': 'False', 'altQtyUnitCode': -1,
        'altQtyUnitAbbr': 'N/A', 'altQty': '0', 'isAltQtyEstimated': 'False', 'netWgt': net,
        'isNetWgtEstimated': 'False', 'grossWgt': '', 'isGrossWgtEstimated': 'False',
        'cifvalue': value if flow == 'M' else '', 'fobvalue': value if flow == 'X' else '',
        'primaryValue': value, 'legacyEstimationFlag': 0, 'isReported': 'True',
        'isAggregate': 'True'}


def quoted(v):
    v = str(v)
    return '"%s"' % v.replace('"', '""') if v != '' else ''


def write(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)


# 1. plus web CSV: Latin-1, CRLF, quoted, a trailing comma on data rows
rows = [
    plus_row(2022, 'X', 0, 'TOTAL', '84392812345.678'),
    plus_row(2022, 'M', 0, 'TOTAL', '50123456789.125'),
    plus_row(2022, 'X', 156, 'TOTAL', '13197521000.005'),
    plus_row(2022, 'M', 156, 'TOTAL', '11012345678.994'),
    plus_row(2022, 'X', 384, 'TOTAL', '1234.5'),
    plus_row(2022, 'M', 384, 'TOTAL', '100'),
    plus_row(2022, 'X', 792, 'TOTAL', '5'),
    plus_row(2022, 'M', 792, 'TOTAL', '987654321.555'),
    plus_row(2022, 'X', 156, 'TOTAL', '999', mot=3200),
    plus_row(2022, 'X', 156, '2601', '1000000.004', net='2000000.5', unit=(8, 'kg'), qty='2000000.5'),
    plus_row(2022, 'X', 156, '6802', '5000.999', net='30000', unit=(2, 'm\u00b2'), qty='1500'),
    plus_row(2022, 'X', 156, '1001', '300000.000', net='1000000', unit=(-1, 'N/A'), qty='0'),
    plus_row(2021, 'X', 156, '2601', '500000', net='1500000', unit=(8, 'kg'), qty='1500000'),
]
text = ','.join(quoted(c) for c in PLUS) + '\r\n'
for r in rows:
    text += ','.join(quoted(r[c]) for c in PLUS) + ',\r\n'
write('plus-web.csv', text.encode('latin-1'))

# 2. plus API JSON: China's monthly trade with Kazakhstan, numbers as numbers
chn = (156, 'CHN', 'China')
PARTNERS[398] = ('KAZ', 'Kazakhstan')
months = [(2022, 1, 'X', 1500000000.10), (2022, 1, 'M', 800000000.20),
          (2022, 2, 'X', 1400000000), (2022, 2, 'M', 900000000),
          (2023, 1, 'X', 2050123456.78), (2023, 1, 'M', 1000000000.02),
          (2023, 2, 'X', 1750000000.5), (2023, 2, 'M', 1200000000)]
data = []
for y, m, fl, v in months:
    r = plus_row(y, fl, 398, 'TOTAL', v, freq='M', month=m, reporter=chn)
    r.update({'qty': None, 'netWgt': None, 'grossWgt': None, 'cifvalue': None,
              'fobvalue': None, 'isReported': True, 'isAggregate': True,
              'isOriginalClassification': True, 'isQtyEstimated': False})
    data.append(r)
doc = '{"elapsedTime":"0.21 secs","count":%d,"data":[%s],"error":""}' % (
    len(data), ','.join(json.dumps(r, ensure_ascii=False) for r in data))
# the numbers as written (1500000000.10 keeps its last zero, as APIs write it)
doc = doc.replace('1500000000.1,', '1500000000.10,').replace('800000000.2,', '800000000.20,')
write('plus-api.json', doc.encode('utf-8'))
write('plus-api-error.json', b'{"elapsedTime":"0.01 secs","count":0,"data":[],'
      b'"error":"Invalid subscription key"}')
cut = dict(json.loads(doc))
write('plus-api-short.json', ('{"elapsedTime":"0.21 secs","count":8,"data":[%s]}' % ','.join(
    json.dumps(r) for r in data[:6])).encode())

# 3. legacy API JSON
def legacy(yr, rg, value):
    return {"pfCode": "H4", "yr": yr, "period": yr, "periodDesc": str(yr), "aggrLevel": 0,
            "IsLeaf": 0, "rgCode": rg, "rgDesc": "Import" if rg == 1 else "Export",
            "rtCode": 398, "rtTitle": "Kazakhstan", "rt3ISO": "KAZ", "ptCode": 156,
            "ptTitle": "China", "pt3ISO": "CHN", "ptCode2": None, "ptTitle2": "",
            "pt3ISO2": "", "cstCode": "", "cstDesc": "", "motCode": "", "motDesc": "",
            "cmdCode": "TOTAL", "cmdDescE": "All Commodities", "qtCode": 1,
            "qtDesc": "No Quantity", "qtAltCode": None, "qtAltDesc": "", "TradeQuantity": None,
            "AltQuantity": None, "NetWeight": None, "GrossWeight": None, "TradeValue": value,
            "CIFValue": None, "FOBValue": None, "estCode": 0}
dataset = [legacy(2015, 1, 8545567890), legacy(2015, 2, '@5480123456.7'),
           legacy(2016, 1, 7020000000), legacy(2016, 2, 4220000000)]
doc = json.dumps({"validation": {"status": {"name": "Ok", "value": 0, "category": 0,
                                            "description": "", "helpUrl": ""},
                                 "message": None,
                                 "count": {"value": 4, "started": "2017-01-01T00:00:00",
                                           "finished": "2017-01-01T00:00:01",
                                           "durationSeconds": 0.5},
                                 "datasetTimer": None},
                  "dataset": dataset}, indent=1).replace('"@5480123456.7"', '5480123456.7')
write('legacy-api.json', doc.encode())

# 4. legacy CSV exported from the plus site: flow code 0, flows in words
LEG = ("Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,"
       "Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,"
       "2nd Partner Code,2nd Partner,2nd Partner ISO,Customs Proc. Code,Customs,"
       "Mode of Transport Code,Mode of Transport,Commodity Code,Commodity,Qty Unit Code,Qty Unit,"
       "Qty,Alt Qty Unit Code,Alt Qty Unit,Alt Qty,Netweight (kg),Gross weight (kg),"
       "Trade Value (US$),CIF Trade Value (US$),FOB Trade Value (US$),Flag").split(',')
assert len(LEG) == 35
def leg(flow, pcode, piso, pname, value):
    return ['H2', '2004', '2004', '2004', '0', '0', '0', flow, '398', 'Kazakhstan', 'KAZ',
            pcode, pname, piso, '', '', '', 'C00', 'TOTAL CPC', '0', 'TOTAL MOT', 'TOTAL',
            'All Commodities', '-1', 'N/A', '', '-1', 'N/A', '', '', '', value, '', '', '0']
legrows = [leg('Import', '0', 'W00', 'World', '17353000000'),
           leg('Export', '0', 'W00', 'World', '20096000000'),
           leg('Re-export', '891', 'SCG', 'Serbia and Montenegro', '1000'),
           leg('Import of goods for inward processing', '891', 'SCG', 'Serbia and Montenegro',
               '250.5'),
           leg('Export', '891', 'SCG', 'Serbia and Montenegro', '3000000.25'),
           leg('Import', '891', 'SCG', 'Serbia and Montenegro', '123.45'),
           leg('Import', '810', '', 'USSR (...1990)', '77')]
import csv, io
s = io.StringIO()
w = csv.writer(s, lineterminator='\n')
w.writerow(LEG)
w.writerows(legrows)
write('legacy-plus-export.csv', s.getvalue().encode())

# 5. a bulk file: tab-separated, gzipped, with the bulk spellings
BULK = [c if c not in ('isNetWgtEstimated', 'cifvalue', 'fobvalue') else
        {'isNetWgtEstimated': 'isnetWgtEstimated', 'cifvalue': 'CIFValue',
         'fobvalue': 'FOBValue'}[c] for c in PLUS]
brows = [plus_row(2023, 'X', 417, 'TOTAL', '900000000.5'),
         plus_row(2023, 'M', 417, 'TOTAL', '300000000.25'),
         plus_row(2023, 'X', 417, 'TOTAL', '12345', p2=156)]
text = '\t'.join(BULK) + '\n'
for r in brows:
    text += '\t'.join(str(r[c]) for c in PLUS) + '\n'
write('bulk-plus.txt.gz', gzip.compress(text.encode(), mtime=0))

# comtradr's output: snake_case names
SNAKE = ['type_code', 'freq_code', 'ref_year', 'ref_month', 'period', 'reporter_code',
         'reporter_iso', 'flow_code', 'partner_code', 'partner_iso', 'partner2_code',
         'classification_code', 'cmd_code', 'customs_code', 'mos_code', 'mot_code',
         'qty_unit_code', 'qty_unit_abbr', 'qty', 'net_wgt', 'primary_value']
snake_rows = [['C', 'A', '2023', '52', '2023', '398', 'KAZ', 'X', '860', 'UZB', '0', 'H6',
               'TOTAL', 'C00', '0', '0', '-1', 'N/A', '', '', '1000'],
              ['C', 'A', '2023', '52', '2023', '398', 'KAZ', 'M', '860', 'UZB', '0', 'H6',
               'TOTAL', 'C00', '0', '0', '-1', 'N/A', '', '', '2000.01']]
s = io.StringIO()
w = csv.writer(s, lineterminator='\n')
w.writerow(SNAKE)
w.writerows(snake_rows)
write('comtradr-snake.csv', s.getvalue().encode())

# 6. CEPII BACI: t,i,j,k,v,q (k without its leading zero, q blank or NA)
write('BACI_HS17_Y2022_V202401.csv', b"t,i,j,k,v,q\n"
      b"2022,398,156,10121,12.345,0.5\n"
      b"2022,398,156,100199,1500.5,\n"
      b"2022,398,156,260111,  2000.001,         NA\n"
      b"2022,398,842,100199,10,20\n"
      b"2022,156,398,870323,5000,100\n")
write('BACI_HS17_Y2023_V202401.csv', b"t,i,j,k,v,q\n2023,900,398,100199,1,1\n")
write('country_codes_V202401.csv', b"country_code,country_name,country_iso2,country_iso3\n"
      b"156,China,CN,CHN\n398,Kazakhstan,KZ,KAZ\n842,USA,US,USA\n"
      b"900,Testland (a test code),TL,TLS\n")

# 7. SITC: a legacy file classified in SITC Rev. 4
LEG22 = ("Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,"
         "Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,"
         "Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Netweight (kg),"
         "Trade Value (US$),Flag").split(',')
assert len(LEG22) == 22
write('legacy-sitc.csv', (','.join(LEG22) + '\n' +
      'S4,2019,2019,2019,2,0,1,Import,398,Kazakhstan,KAZ,156,China,CHN,75,'
      '"Office machines and automatic data-processing machines",1,No Quantity,,,1000000,0\n').encode())

# 8. a file holding one product only
write('plus-tobacco.csv', (
    'freqCode,refYear,refMonth,period,reporterCode,flowCode,partnerCode,partner2Code,'
    'classificationCode,cmdCode,customsCode,mosCode,motCode,qtyUnitCode,qtyUnitAbbr,qty,'
    'netWgt,primaryValue\n'
    'A,2023,52,2023,398,X,156,0,H6,2402,C00,0,0,-1,N/A,,125000,2500000\n'
    'A,2023,52,2023,398,M,156,0,H6,2402,C00,0,0,-1,N/A,,40000,1000000\n').encode())

# a native file saved in Windows-1252
write('native-1252.csv', ('source,reporter,reporter_region,partner,year,month,flow,hs,value_usd,'
      'net_kg,qty,qty_unit\n'
      'Comit\u00e9 de statistique (synthetic),KAZ,,CHN,2020,,X,TOTAL,10.5,,,\n').encode('cp1252'))
