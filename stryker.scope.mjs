// One stage's mutation run (`stryker.<name>.mjs`): the defaults of stryker.config.mjs with its own
// files to mutate, incremental file, reports and temporary folder, so that two runs never share files.
import defaults from './stryker.config.mjs';

/** @returns {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export function scoped(name, mutate, overrides = {}) {
  return {
    ...defaults,
    mutate,
    incrementalFile: `reports/mutation/${name}-incremental.json`,
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    tempDirName: `.stryker-tmp-${name}`,
    ...overrides,
  };
}
