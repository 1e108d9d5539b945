// Library entry: the pipeline's stages for programmatic use.
export * from './types.js';
export { Detector, loadRules } from './detect/engine.js';
export { scanBlobs } from './detect/scan.js';
export { groupMatches } from './detect/group.js';
export { fileSource } from './sources/files.js';
export { expandTemplate } from './detect/samples.js';
export { VERSION } from './version.js';
