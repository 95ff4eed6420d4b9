import { create } from 'zustand';

interface CatalogNavState {
  /** A barcode the order screen did not know, for the product form to open with (taken, then cleared). */
  newBarcode: string | null;
  setNewBarcode: (barcode: string | null) => void;
}

/** What another screen asks of the catalog screen: "add a product with this barcode". */
export const useCatalogNav = create<CatalogNavState>((set) => ({
  newBarcode: null,
  setNewBarcode: (newBarcode) => set({ newBarcode }),
}));
