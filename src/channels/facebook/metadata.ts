// Pano puts "pano:<message id>" in the Send API's metadata (replies and surveys alike); the echo
// brings it back, so Pano knows its own message when Facebook repeats it.
export const METADATA_PREFIX = "pano:";
