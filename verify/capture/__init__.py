"""Web captures: every page verify fetches kept as WARC records, and WARC/WACZ in and out.

A capture is a small gzipped WARC (request, response, metadata records) stored in the casebook
under the sha256 of its bytes, beside the document whose text was extracted from its response.
`records` writes and reads the records, `table` stores them, `archives` reads WARC and WACZ
files made elsewhere, `wacz` packages captures for replay, `verification` re-checks digests.
"""
