// The cards feature's public face: other features import from here only.
export { CardService, saveCardOnFile, usableCard } from './card-service';
export { cardsOfCustomer, getCardRow, isCardExpired, toCard, type CardRow } from './cards-repo';
