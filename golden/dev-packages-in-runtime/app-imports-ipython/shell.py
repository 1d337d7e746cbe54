"""An admin shell."""
from IPython import embed

if __name__ == "__main__":
    embed()
