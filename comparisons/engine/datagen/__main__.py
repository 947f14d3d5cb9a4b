"""``python -m comparisons.engine.datagen --n 60000 --out pairs.csv``"""

from comparisons.engine.datagen.generate import main

raise SystemExit(main())
