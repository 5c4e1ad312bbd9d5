"""Makes scripts/sitekit importable for the hook modules in this folder.

Not a hook itself: MkDocs loads each listed hook file on its own, with this folder on
sys.path while it does, so each hook starts with ``import sitekit_path``.
"""

import sys
from pathlib import Path

SCRIPTS = str(Path(__file__).resolve().parents[2] / "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)
