// typecheck-as: shared
export const env = process.env; // ✗ Cannot find name 'process'
