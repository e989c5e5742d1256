// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).
import type { ImageVariantItem, ProductImage, ProductItem, ReviewItem } from './data/items';

/** A product as stored in DynamoDB (and mirrored in the search index). */
export type ProductModel = ProductItem;

export type ReviewModel = ReviewItem;

/** An image as stored on its product; an uploaded one's variants are keys of the media bucket. */
export type ProductImageModel = ProductImage;

export type ImageVariantModel = ImageVariantItem;

interface Edge<T> {
  cursor: string;
  node: T;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ProductConnectionModel {
  edges: Edge<ProductItem>[];
  pageInfo: PageInfo;
  /** Computed only when a client asks for it. */
  totalCount(): number;
}

export interface ReviewConnectionModel {
  edges: Edge<ReviewItem>[];
  pageInfo: PageInfo;
  totalCount: number;
}
