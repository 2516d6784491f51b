#!/usr/bin/python3
"""Independent computation of the log-linear forecast (case 012-forecast).

Least squares of ln(value) on the year, with 60-digit decimals; prediction
intervals t * s * sqrt(1 + 1/n + (x0 - mean)^2 / Sxx) on the log scale,
with the Student t quantile for 4 degrees of freedom in closed form
(Wikipedia, "Student's t-distribution", quantile function for nu = 4).
Prints year,point,lo80,hi80,lo95,hi95 in US dollars, rounded to the cent
half away from zero.
"""
import math
import sys
from decimal import Decimal, getcontext, ROUND_HALF_UP

getcontext().prec = 60

def t4_quantile(p):
    a = 4 * p * (1 - p)
    q = math.cos(math.acos(math.sqrt(a)) / 3) / math.sqrt(a)
    return math.copysign(2 * math.sqrt(q - 1), p - 0.5)

def main():
    # China-reported turnover with Kazakhstan in the demo data, US$ cents
    series = [(2015, 1430000000000), (2016, 1310000000000), (2021, 2500000000000),
              (2022, 3120000000000), (2023, 4100000000000), (2024, 4382000000000)]
    horizon = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    n = len(series)
    xs = [Decimal(x) for x, _ in series]
    ys = [Decimal(v).ln() for _, v in series]
    mx = sum(xs) / n
    my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx
    sse = sum((y - (my + b * (x - mx))) ** 2 for x, y in zip(xs, ys))
    s = (sse / (n - 2)).sqrt()
    assert n - 2 == 4, "the closed-form quantile is for 4 degrees of freedom"
    t80 = Decimal(repr(t4_quantile(0.90)))
    t95 = Decimal(repr(t4_quantile(0.975)))
    cent = Decimal("0.01")
    for k in range(1, horizon + 1):
        x0 = Decimal(series[-1][0] + k)
        f = my + b * (x0 - mx)
        se = s * (1 + Decimal(1) / n + (x0 - mx) ** 2 / sxx).sqrt()
        vals = [f, f - t80 * se, f + t80 * se, f - t95 * se, f + t95 * se]
        usd = [(v.exp() / 100).quantize(cent, rounding=ROUND_HALF_UP) for v in vals]
        print(",".join([str(series[-1][0] + k)] + [str(u) for u in usd]))

main()
