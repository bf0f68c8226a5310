export { credentialTest } from './credentialTest';
export { listSearch } from './listSearch';
export { loadOptions } from './loadOptions';
