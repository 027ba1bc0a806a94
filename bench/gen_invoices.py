#!/usr/bin/env python3
"""Writes benchmark CSV files in the format `cartera import` reads.

    gen_invoices.py customers OUT.csv CUSTOMERS
    gen_invoices.py invoices  OUT.csv ROWS CUSTOMERS [--prefix FV]

The invoices reference customers CLI-0000001 .. CLI-<CUSTOMERS>, so import
the matching customers file first. Output is deterministic (fixed seed) and
uses only the standard library. About 64 bytes per invoice row, like the
files the reference speeds in /work/shared/PLATFORM.md were measured on.
"""
import datetime
import random
import sys

SEED = 20261120


def customers(path, count):
    rng = random.Random(SEED)
    cities = ["Bogotá", "Medellín", "Cali", "Barranquilla", "Bucaramanga", "Pereira"]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("external_id,name,tax_id,country,kind,time_zone,language,email,phone,currency\n")
        lines = []
        for n in range(1, count + 1):
            lines.append(
                f"CLI-{n:07d},Cliente {n} S.A.S.,{rng.randrange(800000000, 999999999)}-{n % 10},CO,company,"
                f"America/Bogota,es,cartera{n}@cliente{n}.com.co,+5730{rng.randrange(10000000, 99999999)},COP\n")
            if len(lines) == 10000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def invoices(path, rows, customer_count, prefix):
    rng = random.Random(SEED + rows)
    start = datetime.date(2025, 1, 1)
    # (issue, due) pairs over two years, due 30 days after issue.
    dates = [((start + datetime.timedelta(days=d)).isoformat(),
              (start + datetime.timedelta(days=d + 30)).isoformat()) for d in range(0, 680)]
    descriptions = ["Venta de mercancía", "Servicios", "Transporte", "Suministros", ""]
    randrange = rng.randrange
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("external_id,customer_external_id,number,issue_date,due_date,currency,amount,description\n")
        lines = []
        for n in range(1, rows + 1):
            # Customers in order, about rows/customers invoices each.
            customer = (n - 1) * customer_count // rows + 1
            issue, due = dates[randrange(680)]
            lines.append(f"{prefix}-{n},CLI-{customer:07d},{prefix}-{n},{issue},{due},COP,"
                         f"{randrange(10000, 50000000)}.{randrange(100):02d},{descriptions[n % 5]}\n")
            if len(lines) == 10000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def main(argv):
    if len(argv) >= 4 and argv[1] == "customers":
        customers(argv[2], int(argv[3]))
    elif len(argv) >= 5 and argv[1] == "invoices":
        prefix = argv[6] if len(argv) >= 7 and argv[5] == "--prefix" else "FV"
        invoices(argv[2], int(argv[3]), int(argv[4]), prefix)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
