/**
 * The editorial stage: editorial content imported and versioned, the editors' review queue
 * (raised by each load's step after the change feed, and by imports), and the merged per-code
 * catalog (cms.code_catalog). Reads CMS data only through the snapshot tables and the feed.
 */
export { importEditorial, osUser, type EditorialImportOptions, type EditorialImportResult } from './import.js';
export { exportEditorial, EXPORT_FORMATS, type ExportFormat, type ExportResult } from './export.js';
export type { CatalogRules } from './rules.js';
export { catalogRecord, releasesCarrying, searchCatalog, type CatalogOptions, type CatalogRecord, type CatalogSearchResult, type CatalogSource } from './catalog.js';
export { openReviewItems, type ReviewFilter, type ReviewItem, type ReviewQueue } from './review/list.js';
export { resolveByEditor, REVIEW_REASONS, type ResolveOptions, type ResolveResult } from './review/items.js';
export { raiseReviewItems, reviewQueueStep, type ReviewRaised } from './review/on-load.js';
export { editorialVersion } from './store.js';
export { renderCatalogRecord, renderImportResult, renderResolve, renderReview, renderSearch, REVIEW_FORMATS, type ReviewFormat } from './render.js';
