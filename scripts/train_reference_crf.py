"""Train the reference-string CRF on AnyStyle's tagged references and write the model.

    python scripts/train_reference_crf.py [--anystyle ../shared/training/anystyle]

The model is trained on the training part of `loaders.reference_training.split` (the
held-out fifth stays for `bench/bench_references.py`) and written into the package,
`loaders/models/reference_crf.crfsuite`, beside AnyStyle's licence. Run it again after
changing the features in `loaders/reference_crf.py`; the result is committed.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from citegraph.loaders.reference_crf import MODEL
from citegraph.loaders.reference_training import read, split, train

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--anystyle", type=Path, default=ROOT.parent / "shared/training/anystyle")
    parser.add_argument("--out", type=Path, default=ROOT / "loaders" / "models" / MODEL)
    args = parser.parse_args()
    training, held_out = split(read(args.anystyle))
    start = time.perf_counter()
    train(training, args.out)
    shutil.copyfile(args.anystyle / "LICENSE", args.out.parent / "LICENSE-anystyle")
    size = args.out.stat().st_size / 1e6
    print(
        f"trained on {len(training)} strings ({len(held_out)} held out) in "
        f"{time.perf_counter() - start:.0f} s: {args.out} ({size:.1f} MB)"
    )


if __name__ == "__main__":
    main()
