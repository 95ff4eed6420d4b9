// typecheck-as: renderer
export const bytes = Buffer.from('x'); // ✗ Cannot find name 'Buffer'
