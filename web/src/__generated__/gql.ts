/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  fragment ProductCardFields on Product {\n    id\n    name\n    brand\n    price {\n      amount\n      currency\n    }\n    images {\n      ...ProductImageFields\n    }\n    rating {\n      average\n      count\n    }\n    inventory {\n      status\n    }\n  }\n": typeof types.ProductCardFieldsFragmentDoc,
    "\n  fragment ProductImageFields on ProductImage {\n    id\n    url\n    alt\n    variants {\n      width\n      height\n      url\n    }\n  }\n": typeof types.ProductImageFieldsFragmentDoc,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  query Cart {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n          price {\n            amount\n            currency\n          }\n          images {\n            url\n            alt\n          }\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.CartDocument,
    "\n  mutation UpdateCartItem($productId: ID!, $quantity: Int!) {\n    updateCartItem(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.UpdateCartItemDocument,
    "\n  mutation RemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.RemoveFromCartDocument,
    "\n  query CheckoutPage {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n    me {\n      id\n      addresses {\n        id\n        line1\n        line2\n        city\n        region\n        postalCode\n        country\n      }\n    }\n  }\n": typeof types.CheckoutPageDocument,
    "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n    }\n  }\n": typeof types.AddAddressDocument,
    "\n  mutation Checkout($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      number\n      status\n    }\n  }\n": typeof types.CheckoutDocument,
    "\n  query Home {\n    categories {\n      id\n      name\n      productCount\n    }\n    featured: products(first: 8, sort: RATING, filter: { inStock: true }) {\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n    }\n  }\n": typeof types.HomeDocument,
    "\n  query MyNotifications {\n    me {\n      id\n      notificationPreferences {\n        email\n        sms\n        phoneNumber\n      }\n      notifications(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            channel\n            status\n            subject\n            createdAt\n            sentAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.MyNotificationsDocument,
    "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      email\n      sms\n      phoneNumber\n    }\n  }\n": typeof types.UpdateNotificationPreferencesDocument,
    "\n  fragment OrderDetails on Order {\n    id\n    number\n    status\n    createdAt\n    updatedAt\n    events {\n      status\n      at\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n      unitPrice {\n        amount\n        currency\n      }\n      lineTotal {\n        amount\n        currency\n      }\n    }\n    subtotal {\n      amount\n      currency\n    }\n    tax {\n      amount\n      currency\n    }\n    shipping {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    payment {\n      id\n      status\n      method {\n        brand\n        last4\n      }\n    }\n  }\n": typeof types.OrderDetailsFragmentDoc,
    "\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      ...OrderDetails\n    }\n  }\n": typeof types.OrderPageDocument,
    "\n  subscription OrderUpdated($orderId: ID!) {\n    orderUpdated(orderId: $orderId) {\n      ...OrderDetails\n    }\n  }\n": typeof types.OrderUpdatedDocument,
    "\n  mutation CancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": typeof types.CancelOrderDocument,
    "\n  query MyOrders {\n    me {\n      id\n      orders(first: 20) {\n        edges {\n          node {\n            id\n            number\n            status\n            createdAt\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.MyOrdersDocument,
    "\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      description\n      brand\n      sku\n      category {\n        id\n        name\n      }\n      price {\n        amount\n        currency\n      }\n      images {\n        ...ProductImageFields\n      }\n      inventory {\n        available\n        status\n      }\n      rating {\n        average\n        count\n      }\n      reviews(first: 10) {\n        totalCount\n        edges {\n          node {\n            id\n            rating\n            title\n            body\n            createdAt\n            author {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ProductPageDocument,
    "\n  query AlsoBought($id: ID!) {\n    product(id: $id) {\n      id\n      recommendations(first: 4) {\n        ...ProductCardFields\n      }\n    }\n  }\n": typeof types.AlsoBoughtDocument,
    "\n  mutation AddToCart($productId: ID!, $quantity: Int!) {\n    addToCart(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.AddToCartDocument,
    "\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String!, $body: String!) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n    }\n  }\n": typeof types.AddReviewDocument,
    "\n  query SearchProducts($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {\n    products(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    categories {\n      id\n      name\n    }\n  }\n": typeof types.SearchProductsDocument,
    "\n  mutation AskSupport($message: String!, $conversationId: ID) {\n    askSupport(message: $message, conversationId: $conversationId) {\n      conversationId\n      answer\n      actions {\n        tool\n        outcome\n        detail\n      }\n      ticket {\n        id\n        number\n      }\n    }\n  }\n": typeof types.AskSupportDocument,
    "\n  query MyTickets {\n    myTickets {\n      id\n      number\n      summary\n      status\n      updatedAt\n    }\n  }\n": typeof types.MyTicketsDocument,
    "\n  subscription OrderEvents {\n    orderEvents {\n      status\n      at\n      order {\n        id\n        number\n        status\n        total {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": typeof types.OrderEventsDocument,
    "\n  query FindOrder($number: String!) {\n    orderByNumber(number: $number) {\n      id\n      number\n      status\n      user {\n        id\n        email\n      }\n    }\n  }\n": typeof types.FindOrderDocument,
    "\n  mutation UpdateOrderStatus($orderId: ID!, $status: OrderStatus!) {\n    updateOrderStatus(orderId: $orderId, status: $status) {\n      id\n      status\n    }\n  }\n": typeof types.UpdateOrderStatusDocument,
    "\n  query SalesSummary($from: DateTime!, $to: DateTime!) {\n    salesSummary(from: $from, to: $to, granularity: DAY) {\n      periodStart\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.SalesSummaryDocument,
    "\n  query TopProducts($from: DateTime!, $to: DateTime!) {\n    topProducts(from: $from, to: $to, first: 8) {\n      units\n      revenue {\n        amount\n        currency\n      }\n      product {\n        id\n        name\n        sentiment {\n          positive\n          neutral\n          negative\n          mixed\n        }\n      }\n    }\n  }\n": typeof types.TopProductsDocument,
    "\n  query CategoryBreakdown($from: DateTime!, $to: DateTime!) {\n    categoryBreakdown(from: $from, to: $to) {\n      category\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.CategoryBreakdownDocument,
    "\n  mutation CreateProductImageUpload($productId: ID!, $contentType: String!, $byteSize: Int!) {\n    createProductImageUpload(productId: $productId, contentType: $contentType, byteSize: $byteSize) {\n      uploadId\n      uploadUrl\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n": typeof types.CreateProductImageUploadDocument,
    "\n  mutation AttachProductImage($uploadId: ID!, $alt: String!) {\n    attachProductImage(uploadId: $uploadId, alt: $alt) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n": typeof types.AttachProductImageDocument,
    "\n  query InventoryProducts($search: String) {\n    products(first: 20, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          sku\n          name\n          price {\n            amount\n            currency\n          }\n          inventory {\n            available\n            status\n          }\n        }\n      }\n    }\n  }\n": typeof types.InventoryProductsDocument,
    "\n  mutation AdjustInventory($productId: ID!, $delta: Int!) {\n    adjustInventory(productId: $productId, delta: $delta) {\n      id\n      inventory {\n        available\n        status\n      }\n    }\n  }\n": typeof types.AdjustInventoryDocument,
    "\n  fragment SalesWindowFields on SalesWindow {\n    start\n    end\n    orders\n    units\n    lateEvents\n    revenue {\n      amount\n      currency\n    }\n    categories {\n      category\n      orders\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.SalesWindowFieldsFragmentDoc,
    "\n  query LiveSalesWindows($last: Int!) {\n    liveSalesWindows(last: $last) {\n      ...SalesWindowFields\n    }\n  }\n": typeof types.LiveSalesWindowsDocument,
    "\n  subscription LiveSales {\n    liveSales {\n      ...SalesWindowFields\n    }\n  }\n": typeof types.LiveSalesDocument,
    "\n  mutation ReorderProductImages($productId: ID!, $imageIds: [ID!]!) {\n    reorderProductImages(productId: $productId, imageIds: $imageIds) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n": typeof types.ReorderProductImagesDocument,
    "\n  mutation RemoveProductImage($productId: ID!, $imageId: ID!) {\n    removeProductImage(productId: $productId, imageId: $imageId) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n": typeof types.RemoveProductImageDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n": types.MeDocument,
    "\n  fragment ProductCardFields on Product {\n    id\n    name\n    brand\n    price {\n      amount\n      currency\n    }\n    images {\n      ...ProductImageFields\n    }\n    rating {\n      average\n      count\n    }\n    inventory {\n      status\n    }\n  }\n": types.ProductCardFieldsFragmentDoc,
    "\n  fragment ProductImageFields on ProductImage {\n    id\n    url\n    alt\n    variants {\n      width\n      height\n      url\n    }\n  }\n": types.ProductImageFieldsFragmentDoc,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n    }\n  }\n": types.LogInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n": types.SignUpDocument,
    "\n  query Cart {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n          price {\n            amount\n            currency\n          }\n          images {\n            url\n            alt\n          }\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": types.CartDocument,
    "\n  mutation UpdateCartItem($productId: ID!, $quantity: Int!) {\n    updateCartItem(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": types.UpdateCartItemDocument,
    "\n  mutation RemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": types.RemoveFromCartDocument,
    "\n  query CheckoutPage {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n    me {\n      id\n      addresses {\n        id\n        line1\n        line2\n        city\n        region\n        postalCode\n        country\n      }\n    }\n  }\n": types.CheckoutPageDocument,
    "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n    }\n  }\n": types.AddAddressDocument,
    "\n  mutation Checkout($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      number\n      status\n    }\n  }\n": types.CheckoutDocument,
    "\n  query Home {\n    categories {\n      id\n      name\n      productCount\n    }\n    featured: products(first: 8, sort: RATING, filter: { inStock: true }) {\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n    }\n  }\n": types.HomeDocument,
    "\n  query MyNotifications {\n    me {\n      id\n      notificationPreferences {\n        email\n        sms\n        phoneNumber\n      }\n      notifications(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            channel\n            status\n            subject\n            createdAt\n            sentAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n": types.MyNotificationsDocument,
    "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      email\n      sms\n      phoneNumber\n    }\n  }\n": types.UpdateNotificationPreferencesDocument,
    "\n  fragment OrderDetails on Order {\n    id\n    number\n    status\n    createdAt\n    updatedAt\n    events {\n      status\n      at\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n      unitPrice {\n        amount\n        currency\n      }\n      lineTotal {\n        amount\n        currency\n      }\n    }\n    subtotal {\n      amount\n      currency\n    }\n    tax {\n      amount\n      currency\n    }\n    shipping {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    payment {\n      id\n      status\n      method {\n        brand\n        last4\n      }\n    }\n  }\n": types.OrderDetailsFragmentDoc,
    "\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      ...OrderDetails\n    }\n  }\n": types.OrderPageDocument,
    "\n  subscription OrderUpdated($orderId: ID!) {\n    orderUpdated(orderId: $orderId) {\n      ...OrderDetails\n    }\n  }\n": types.OrderUpdatedDocument,
    "\n  mutation CancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": types.CancelOrderDocument,
    "\n  query MyOrders {\n    me {\n      id\n      orders(first: 20) {\n        edges {\n          node {\n            id\n            number\n            status\n            createdAt\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n    }\n  }\n": types.MyOrdersDocument,
    "\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      description\n      brand\n      sku\n      category {\n        id\n        name\n      }\n      price {\n        amount\n        currency\n      }\n      images {\n        ...ProductImageFields\n      }\n      inventory {\n        available\n        status\n      }\n      rating {\n        average\n        count\n      }\n      reviews(first: 10) {\n        totalCount\n        edges {\n          node {\n            id\n            rating\n            title\n            body\n            createdAt\n            author {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ProductPageDocument,
    "\n  query AlsoBought($id: ID!) {\n    product(id: $id) {\n      id\n      recommendations(first: 4) {\n        ...ProductCardFields\n      }\n    }\n  }\n": types.AlsoBoughtDocument,
    "\n  mutation AddToCart($productId: ID!, $quantity: Int!) {\n    addToCart(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n": types.AddToCartDocument,
    "\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String!, $body: String!) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n    }\n  }\n": types.AddReviewDocument,
    "\n  query SearchProducts($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {\n    products(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    categories {\n      id\n      name\n    }\n  }\n": types.SearchProductsDocument,
    "\n  mutation AskSupport($message: String!, $conversationId: ID) {\n    askSupport(message: $message, conversationId: $conversationId) {\n      conversationId\n      answer\n      actions {\n        tool\n        outcome\n        detail\n      }\n      ticket {\n        id\n        number\n      }\n    }\n  }\n": types.AskSupportDocument,
    "\n  query MyTickets {\n    myTickets {\n      id\n      number\n      summary\n      status\n      updatedAt\n    }\n  }\n": types.MyTicketsDocument,
    "\n  subscription OrderEvents {\n    orderEvents {\n      status\n      at\n      order {\n        id\n        number\n        status\n        total {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": types.OrderEventsDocument,
    "\n  query FindOrder($number: String!) {\n    orderByNumber(number: $number) {\n      id\n      number\n      status\n      user {\n        id\n        email\n      }\n    }\n  }\n": types.FindOrderDocument,
    "\n  mutation UpdateOrderStatus($orderId: ID!, $status: OrderStatus!) {\n    updateOrderStatus(orderId: $orderId, status: $status) {\n      id\n      status\n    }\n  }\n": types.UpdateOrderStatusDocument,
    "\n  query SalesSummary($from: DateTime!, $to: DateTime!) {\n    salesSummary(from: $from, to: $to, granularity: DAY) {\n      periodStart\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": types.SalesSummaryDocument,
    "\n  query TopProducts($from: DateTime!, $to: DateTime!) {\n    topProducts(from: $from, to: $to, first: 8) {\n      units\n      revenue {\n        amount\n        currency\n      }\n      product {\n        id\n        name\n        sentiment {\n          positive\n          neutral\n          negative\n          mixed\n        }\n      }\n    }\n  }\n": types.TopProductsDocument,
    "\n  query CategoryBreakdown($from: DateTime!, $to: DateTime!) {\n    categoryBreakdown(from: $from, to: $to) {\n      category\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": types.CategoryBreakdownDocument,
    "\n  mutation CreateProductImageUpload($productId: ID!, $contentType: String!, $byteSize: Int!) {\n    createProductImageUpload(productId: $productId, contentType: $contentType, byteSize: $byteSize) {\n      uploadId\n      uploadUrl\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n": types.CreateProductImageUploadDocument,
    "\n  mutation AttachProductImage($uploadId: ID!, $alt: String!) {\n    attachProductImage(uploadId: $uploadId, alt: $alt) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n": types.AttachProductImageDocument,
    "\n  query InventoryProducts($search: String) {\n    products(first: 20, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          sku\n          name\n          price {\n            amount\n            currency\n          }\n          inventory {\n            available\n            status\n          }\n        }\n      }\n    }\n  }\n": types.InventoryProductsDocument,
    "\n  mutation AdjustInventory($productId: ID!, $delta: Int!) {\n    adjustInventory(productId: $productId, delta: $delta) {\n      id\n      inventory {\n        available\n        status\n      }\n    }\n  }\n": types.AdjustInventoryDocument,
    "\n  fragment SalesWindowFields on SalesWindow {\n    start\n    end\n    orders\n    units\n    lateEvents\n    revenue {\n      amount\n      currency\n    }\n    categories {\n      category\n      orders\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n": types.SalesWindowFieldsFragmentDoc,
    "\n  query LiveSalesWindows($last: Int!) {\n    liveSalesWindows(last: $last) {\n      ...SalesWindowFields\n    }\n  }\n": types.LiveSalesWindowsDocument,
    "\n  subscription LiveSales {\n    liveSales {\n      ...SalesWindowFields\n    }\n  }\n": types.LiveSalesDocument,
    "\n  mutation ReorderProductImages($productId: ID!, $imageIds: [ID!]!) {\n    reorderProductImages(productId: $productId, imageIds: $imageIds) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n": types.ReorderProductImagesDocument,
    "\n  mutation RemoveProductImage($productId: ID!, $imageId: ID!) {\n    removeProductImage(productId: $productId, imageId: $imageId) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n": types.RemoveProductImageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      name\n      email\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductCardFields on Product {\n    id\n    name\n    brand\n    price {\n      amount\n      currency\n    }\n    images {\n      ...ProductImageFields\n    }\n    rating {\n      average\n      count\n    }\n    inventory {\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment ProductCardFields on Product {\n    id\n    name\n    brand\n    price {\n      amount\n      currency\n    }\n    images {\n      ...ProductImageFields\n    }\n    rating {\n      average\n      count\n    }\n    inventory {\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductImageFields on ProductImage {\n    id\n    url\n    alt\n    variants {\n      width\n      height\n      url\n    }\n  }\n"): (typeof documents)["\n  fragment ProductImageFields on ProductImage {\n    id\n    url\n    alt\n    variants {\n      width\n      height\n      url\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Cart {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n          price {\n            amount\n            currency\n          }\n          images {\n            url\n            alt\n          }\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  query Cart {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n          price {\n            amount\n            currency\n          }\n          images {\n            url\n            alt\n          }\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCartItem($productId: ID!, $quantity: Int!) {\n    updateCartItem(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCartItem($productId: ID!, $quantity: Int!) {\n    updateCartItem(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CheckoutPage {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n    me {\n      id\n      addresses {\n        id\n        line1\n        line2\n        city\n        region\n        postalCode\n        country\n      }\n    }\n  }\n"): (typeof documents)["\n  query CheckoutPage {\n    cart {\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n    me {\n      id\n      addresses {\n        id\n        line1\n        line2\n        city\n        region\n        postalCode\n        country\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Checkout($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      number\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation Checkout($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      number\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home {\n    categories {\n      id\n      name\n      productCount\n    }\n    featured: products(first: 8, sort: RATING, filter: { inStock: true }) {\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Home {\n    categories {\n      id\n      name\n      productCount\n    }\n    featured: products(first: 8, sort: RATING, filter: { inStock: true }) {\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyNotifications {\n    me {\n      id\n      notificationPreferences {\n        email\n        sms\n        phoneNumber\n      }\n      notifications(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            channel\n            status\n            subject\n            createdAt\n            sentAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyNotifications {\n    me {\n      id\n      notificationPreferences {\n        email\n        sms\n        phoneNumber\n      }\n      notifications(first: 20) {\n        edges {\n          node {\n            id\n            kind\n            channel\n            status\n            subject\n            createdAt\n            sentAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      email\n      sms\n      phoneNumber\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      email\n      sms\n      phoneNumber\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderDetails on Order {\n    id\n    number\n    status\n    createdAt\n    updatedAt\n    events {\n      status\n      at\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n      unitPrice {\n        amount\n        currency\n      }\n      lineTotal {\n        amount\n        currency\n      }\n    }\n    subtotal {\n      amount\n      currency\n    }\n    tax {\n      amount\n      currency\n    }\n    shipping {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    payment {\n      id\n      status\n      method {\n        brand\n        last4\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment OrderDetails on Order {\n    id\n    number\n    status\n    createdAt\n    updatedAt\n    events {\n      status\n      at\n    }\n    items {\n      quantity\n      product {\n        id\n        name\n      }\n      unitPrice {\n        amount\n        currency\n      }\n      lineTotal {\n        amount\n        currency\n      }\n    }\n    subtotal {\n      amount\n      currency\n    }\n    tax {\n      amount\n      currency\n    }\n    shipping {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    payment {\n      id\n      status\n      method {\n        brand\n        last4\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      ...OrderDetails\n    }\n  }\n"): (typeof documents)["\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      ...OrderDetails\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderUpdated($orderId: ID!) {\n    orderUpdated(orderId: $orderId) {\n      ...OrderDetails\n    }\n  }\n"): (typeof documents)["\n  subscription OrderUpdated($orderId: ID!) {\n    orderUpdated(orderId: $orderId) {\n      ...OrderDetails\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrders {\n    me {\n      id\n      orders(first: 20) {\n        edges {\n          node {\n            id\n            number\n            status\n            createdAt\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyOrders {\n    me {\n      id\n      orders(first: 20) {\n        edges {\n          node {\n            id\n            number\n            status\n            createdAt\n            total {\n              amount\n              currency\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      description\n      brand\n      sku\n      category {\n        id\n        name\n      }\n      price {\n        amount\n        currency\n      }\n      images {\n        ...ProductImageFields\n      }\n      inventory {\n        available\n        status\n      }\n      rating {\n        average\n        count\n      }\n      reviews(first: 10) {\n        totalCount\n        edges {\n          node {\n            id\n            rating\n            title\n            body\n            createdAt\n            author {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      description\n      brand\n      sku\n      category {\n        id\n        name\n      }\n      price {\n        amount\n        currency\n      }\n      images {\n        ...ProductImageFields\n      }\n      inventory {\n        available\n        status\n      }\n      rating {\n        average\n        count\n      }\n      reviews(first: 10) {\n        totalCount\n        edges {\n          node {\n            id\n            rating\n            title\n            body\n            createdAt\n            author {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlsoBought($id: ID!) {\n    product(id: $id) {\n      id\n      recommendations(first: 4) {\n        ...ProductCardFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlsoBought($id: ID!) {\n    product(id: $id) {\n      id\n      recommendations(first: 4) {\n        ...ProductCardFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToCart($productId: ID!, $quantity: Int!) {\n    addToCart(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddToCart($productId: ID!, $quantity: Int!) {\n    addToCart(productId: $productId, quantity: $quantity) {\n      items {\n        quantity\n        product {\n          id\n        }\n      }\n      subtotal {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String!, $body: String!) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String!, $body: String!) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchProducts($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {\n    products(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    categories {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query SearchProducts($first: Int!, $after: String, $filter: ProductFilter, $sort: ProductSort) {\n    products(first: $first, after: $after, filter: $filter, sort: $sort) {\n      totalCount\n      edges {\n        node {\n          ...ProductCardFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    categories {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AskSupport($message: String!, $conversationId: ID) {\n    askSupport(message: $message, conversationId: $conversationId) {\n      conversationId\n      answer\n      actions {\n        tool\n        outcome\n        detail\n      }\n      ticket {\n        id\n        number\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AskSupport($message: String!, $conversationId: ID) {\n    askSupport(message: $message, conversationId: $conversationId) {\n      conversationId\n      answer\n      actions {\n        tool\n        outcome\n        detail\n      }\n      ticket {\n        id\n        number\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyTickets {\n    myTickets {\n      id\n      number\n      summary\n      status\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  query MyTickets {\n    myTickets {\n      id\n      number\n      summary\n      status\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderEvents {\n    orderEvents {\n      status\n      at\n      order {\n        id\n        number\n        status\n        total {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OrderEvents {\n    orderEvents {\n      status\n      at\n      order {\n        id\n        number\n        status\n        total {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindOrder($number: String!) {\n    orderByNumber(number: $number) {\n      id\n      number\n      status\n      user {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  query FindOrder($number: String!) {\n    orderByNumber(number: $number) {\n      id\n      number\n      status\n      user {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOrderStatus($orderId: ID!, $status: OrderStatus!) {\n    updateOrderStatus(orderId: $orderId, status: $status) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateOrderStatus($orderId: ID!, $status: OrderStatus!) {\n    updateOrderStatus(orderId: $orderId, status: $status) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SalesSummary($from: DateTime!, $to: DateTime!) {\n    salesSummary(from: $from, to: $to, granularity: DAY) {\n      periodStart\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  query SalesSummary($from: DateTime!, $to: DateTime!) {\n    salesSummary(from: $from, to: $to, granularity: DAY) {\n      periodStart\n      orders\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TopProducts($from: DateTime!, $to: DateTime!) {\n    topProducts(from: $from, to: $to, first: 8) {\n      units\n      revenue {\n        amount\n        currency\n      }\n      product {\n        id\n        name\n        sentiment {\n          positive\n          neutral\n          negative\n          mixed\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TopProducts($from: DateTime!, $to: DateTime!) {\n    topProducts(from: $from, to: $to, first: 8) {\n      units\n      revenue {\n        amount\n        currency\n      }\n      product {\n        id\n        name\n        sentiment {\n          positive\n          neutral\n          negative\n          mixed\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CategoryBreakdown($from: DateTime!, $to: DateTime!) {\n    categoryBreakdown(from: $from, to: $to) {\n      category\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  query CategoryBreakdown($from: DateTime!, $to: DateTime!) {\n    categoryBreakdown(from: $from, to: $to) {\n      category\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProductImageUpload($productId: ID!, $contentType: String!, $byteSize: Int!) {\n    createProductImageUpload(productId: $productId, contentType: $contentType, byteSize: $byteSize) {\n      uploadId\n      uploadUrl\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProductImageUpload($productId: ID!, $contentType: String!, $byteSize: Int!) {\n    createProductImageUpload(productId: $productId, contentType: $contentType, byteSize: $byteSize) {\n      uploadId\n      uploadUrl\n      headers {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AttachProductImage($uploadId: ID!, $alt: String!) {\n    attachProductImage(uploadId: $uploadId, alt: $alt) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AttachProductImage($uploadId: ID!, $alt: String!) {\n    attachProductImage(uploadId: $uploadId, alt: $alt) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InventoryProducts($search: String) {\n    products(first: 20, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          sku\n          name\n          price {\n            amount\n            currency\n          }\n          inventory {\n            available\n            status\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InventoryProducts($search: String) {\n    products(first: 20, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          sku\n          name\n          price {\n            amount\n            currency\n          }\n          inventory {\n            available\n            status\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustInventory($productId: ID!, $delta: Int!) {\n    adjustInventory(productId: $productId, delta: $delta) {\n      id\n      inventory {\n        available\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AdjustInventory($productId: ID!, $delta: Int!) {\n    adjustInventory(productId: $productId, delta: $delta) {\n      id\n      inventory {\n        available\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SalesWindowFields on SalesWindow {\n    start\n    end\n    orders\n    units\n    lateEvents\n    revenue {\n      amount\n      currency\n    }\n    categories {\n      category\n      orders\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SalesWindowFields on SalesWindow {\n    start\n    end\n    orders\n    units\n    lateEvents\n    revenue {\n      amount\n      currency\n    }\n    categories {\n      category\n      orders\n      units\n      revenue {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveSalesWindows($last: Int!) {\n    liveSalesWindows(last: $last) {\n      ...SalesWindowFields\n    }\n  }\n"): (typeof documents)["\n  query LiveSalesWindows($last: Int!) {\n    liveSalesWindows(last: $last) {\n      ...SalesWindowFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveSales {\n    liveSales {\n      ...SalesWindowFields\n    }\n  }\n"): (typeof documents)["\n  subscription LiveSales {\n    liveSales {\n      ...SalesWindowFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReorderProductImages($productId: ID!, $imageIds: [ID!]!) {\n    reorderProductImages(productId: $productId, imageIds: $imageIds) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReorderProductImages($productId: ID!, $imageIds: [ID!]!) {\n    reorderProductImages(productId: $productId, imageIds: $imageIds) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveProductImage($productId: ID!, $imageId: ID!) {\n    removeProductImage(productId: $productId, imageId: $imageId) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveProductImage($productId: ID!, $imageId: ID!) {\n    removeProductImage(productId: $productId, imageId: $imageId) {\n      id\n      images {\n        ...ProductImageFields\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;