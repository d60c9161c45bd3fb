"""Photos and videos as evidence: what kind of file it is, its metadata, perceptual hashes,
and whether the casebook has seen the same picture before (resized, cropped, captioned or
recompressed)."""
