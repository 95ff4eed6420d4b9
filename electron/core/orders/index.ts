// The orders feature's public face: other features import from here only.
export { OrderService } from './order-service';
export { getOrderRow, refreshOrderStatus, toOrder, type Order, type OrderRow } from './orders-repo';
