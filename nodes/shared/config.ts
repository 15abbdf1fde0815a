// The nodes' glue reads its editor fields with the same functions as the settings parsers in nodes/lib.
export { numberSetting, textSetting } from '../lib/settings/editor-fields';
