"""A batch worker: summarise a synthetic table of orders and print one line per region."""

import numpy as np
import pandas as pd


def summarise(rows: int = 100_000, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "region": rng.choice(["north", "south", "east", "west"], size=rows),
            "amount": rng.gamma(2.0, 30.0, size=rows).round(2),
        }
    )
    return frame.groupby("region")["amount"].agg(["count", "sum", "mean"]).round(2)


if __name__ == "__main__":
    table = summarise()
    for region, row in table.iterrows():
        print(f"{region}: {int(row['count'])} orders, total {row['sum']:.2f}, mean {row['mean']:.2f}")
    print("done")
