// Where the harness fetches a CDN's blobs when not from the mock itself (CDN number → origin). The production-style
// front registers its CDN 2 here: the mock has no CDN 2, the front emulates one (front/routes/production-api.mjs).
export const cdnOrigins = new Map();

// How the harness stores a blob on a CDN other than the mock's CDN 3 (CDN number → async (key, blob) => void).
export const cdnStores = new Map();
