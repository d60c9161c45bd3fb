"""Web captures: every page verify fetches kept as WARC records, and WARC/WACZ in and out.

A capture is a small gzipped WARC (request, response, metadata records) stored in the casebook
under the sha256 of its bytes, beside the document whose text was extracted from its response.
`records` writes and reads the records, `table` stores them, `archives` reads WARC and WACZ
files made elsewhere, `wacz` packages captures for replay, `verification` re-checks digests.
"""

import logging

# warcio logs what it repairs (a space in a WARC-Target-URI) with the URI as the archive
# wrote it, escape sequences and all: through Python's last-resort handler that reaches the
# terminal raw. Nothing of it is needed; what verify skips it says itself, cleaned.
logging.getLogger("warcio").addHandler(logging.NullHandler())
logging.getLogger("warcio").propagate = False
