"""A tiny text classifier's forward pass on the CPU (fixed weights, so the answer is the same everywhere)."""

from __future__ import annotations

import argparse

import torch
from tqdm import tqdm


def model() -> torch.nn.Module:
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.EmbeddingBag(256, 16), torch.nn.Linear(16, 2))
    net.eval()
    return net


def classify(text: str) -> str:
    tokens = torch.tensor([list(text.encode("utf-8"))])
    with torch.inference_mode():
        logits = model()(tokens)
    return ("negative", "positive")[int(logits.argmax())]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--text", action="append", default=[])
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args()
    texts = args.text or ["hello, dopt"]
    for text in tqdm(texts, disable=True):
        print(f"{classify(text)}: {text}")
    if args.selftest:
        print(f"torch {torch.__version__}, cpu, ok")


if __name__ == "__main__":
    main()
