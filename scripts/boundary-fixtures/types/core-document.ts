// typecheck-as: node
export const title = document.title; // ✗ Cannot find name 'document'
