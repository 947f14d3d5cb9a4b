from legalname.common.formats.en_GB.formats import *  # noqa: F403  (the same formats for plain "en")
