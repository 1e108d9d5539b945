// Library entry: the pipeline's stages for programmatic use.

export { Detector } from './detect/engine.js';
export { groupMatches } from './detect/group.js';
export { loadRules } from './detect/rules/load.js';
export { expandTemplate } from './detect/samples.js';
export { scanBlobs } from './detect/scan.js';
export { fileSource } from './sources/files.js';
export * from './types.js';
export { VERSION } from './version.js';
