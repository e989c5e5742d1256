// Adding an image to a product (ADMIN): a file chosen or dropped, checked here (type, 5 MB), then
// createProductImageUpload (a presigned URL) → PUT of the file to the storage, with progress →
// attachProductImage (the products service checks it and makes its WebP variants). The returned
// product updates Apollo's cache, so every view of its images shows the new one.
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../__generated__';
import type { ImageData } from '../../components/ProductImage';
import { describe } from '../../components/Status';
import {
  ACCEPTED_IMAGE_TYPES,
  formatBytes,
  imageFileProblem,
  MAX_PRODUCT_IMAGES,
  putFile,
  UploadError,
  type UploadProgress,
} from '../../upload';

const CreateUploadMutation = graphql(`
  mutation CreateProductImageUpload($productId: ID!, $contentType: String!, $byteSize: Int!) {
    createProductImageUpload(productId: $productId, contentType: $contentType, byteSize: $byteSize) {
      uploadId
      uploadUrl
      headers {
        name
        value
      }
      expiresAt
    }
  }
`);

const AttachImageMutation = graphql(`
  mutation AttachProductImage($uploadId: ID!, $alt: String!) {
    attachProductImage(uploadId: $uploadId, alt: $alt) {
      id
      images {
        ...ProductImageFields
      }
    }
  }
`);

type Phase = 'idle' | 'requesting' | 'uploading' | 'processing';

const phaseText: Record<Exclude<Phase, 'idle'>, string> = {
  requesting: 'Getting an upload link…',
  uploading: 'Uploading the file…',
  processing: 'Processing the image (checking it and making its sizes)…',
};

/** What went wrong in a step, with the server's or the storage's own words. */
function failure(step: string, error: unknown): string {
  if (error instanceof UploadError) return error.message;
  return `${step} ${error instanceof Error ? describe(error) : String(error)}`;
}

export function ImageUpload({
  productId,
  imageCount,
  onAdded,
}: {
  productId: string;
  imageCount: number;
  /** The product's images after the upload, the new one last. */
  onAdded(images: ImageData[]): void;
}) {
  const ids = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const altInput = useRef<HTMLInputElement>(null);
  const upload = useRef<AbortController | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** How the last upload ended, for the status line. */
  const [outcome, setOutcome] = useState<{ text: string; ok: boolean } | null>(null);
  const [createUpload] = useMutation(CreateUploadMutation);
  const [attach] = useMutation(AttachImageMutation);
  const busy = phase !== 'idle';
  const full = imageCount >= MAX_PRODUCT_IMAGES;

  // Leaving the page stops an upload in flight.
  useEffect(() => () => upload.current?.abort(), []);

  /** A file from the input or a drop: kept if it can be uploaded, else refused at once. */
  const choose = (chosen: File | undefined) => {
    setOutcome(null);
    setProgress(null);
    const problem = chosen && imageFileProblem(chosen);
    setError(problem ?? null);
    setFile(chosen && !problem ? chosen : null);
    const input = fileInput.current;
    if (!input) return;
    if (!chosen || problem) input.value = '';
    else if (input.files?.[0] !== chosen) {
      // A dropped file: the input shows it too.
      const transfer = new DataTransfer();
      transfer.items.add(chosen);
      input.files = transfer.files;
    }
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    // Only files: dropped text or a link leaves the chosen file as it is.
    if (dropped && !busy) choose(dropped);
  };

  const refuse = (message: string, field: HTMLInputElement | null) => {
    setError(message);
    field?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setOutcome(null);
    if (full) return refuse(`A product has at most ${MAX_PRODUCT_IMAGES} images; remove one first.`, null);
    if (!file) return refuse('Choose an image file first.', fileInput.current);
    const problem = imageFileProblem(file);
    if (problem) return refuse(problem, fileInput.current);
    const description = alt.trim();
    if (!description) return refuse('Describe the image in the alt text field.', altInput.current);
    setError(null);

    const controller = new AbortController();
    upload.current = controller;
    let step = 'Could not get an upload link:';
    try {
      setPhase('requesting');
      const created = await createUpload({
        variables: { productId, contentType: file.type, byteSize: file.size },
      });
      const target = created.data?.createProductImageUpload;
      if (!target) throw new Error('The server gave no upload link.');

      setPhase('uploading');
      setProgress({ loaded: 0, total: file.size });
      await putFile(target.uploadUrl, target.headers, file, {
        onProgress: setProgress,
        signal: controller.signal,
      });

      step = 'The file was uploaded but could not be added:';
      setPhase('processing');
      const attached = await attach({ variables: { uploadId: target.uploadId, alt: description } });
      const images = attached.data?.attachProductImage.images;
      if (!images) throw new Error('The server did not return the product.');

      setFile(null);
      setAlt('');
      if (fileInput.current) fileInput.current.value = '';
      setOutcome({ text: `Added “${description}” as image ${images.length}.`, ok: true });
      onAdded(images);
    } catch (caught) {
      if (!controller.signal.aborted) setError(failure(step, caught));
    } finally {
      if (upload.current === controller) upload.current = null;
      setPhase('idle');
    }
  };

  const cancel = () => {
    upload.current?.abort();
    setProgress(null);
    setOutcome({ text: 'Upload cancelled.', ok: false });
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <form
      className="stack image-upload"
      noValidate
      aria-labelledby={`${ids}-heading`}
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={`${ids}-heading`}>Add an image</h3>
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragEnter={(event) => {
          event.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragOver={(event) => event.preventDefault()}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={drop}
      >
        <label>
          Image file
          <input
            ref={fileInput}
            type="file"
            accept={ACCEPTED_IMAGE_TYPES.join(',')}
            aria-describedby={`${ids}-file-hint`}
            disabled={busy}
            onChange={(event) => choose(event.target.files?.[0])}
          />
        </label>
        <p id={`${ids}-file-hint`} className="muted">
          JPEG, PNG or WebP, at most 5 MB. Choose a file, or drop one on this box.
        </p>
        {file && (
          <p>
            Ready to upload: <strong>{file.name}</strong> ({formatBytes(file.size)})
          </p>
        )}
      </div>
      <label>
        Alt text
        <input
          ref={altInput}
          required
          maxLength={300}
          value={alt}
          aria-describedby={`${ids}-alt-hint`}
          disabled={busy}
          onChange={(event) => setAlt(event.target.value)}
        />
      </label>
      <p id={`${ids}-alt-hint`} className="muted">
        What the image shows, for shoppers who use a screen reader.
      </p>
      {error && (
        <p role="alert" className="status error">
          {error}
        </p>
      )}
      <div className="inline-form">
        {/* Not `disabled` while busy: a disabled button would drop the keyboard focus. */}
        <button type="submit" aria-disabled={busy || full}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
        {phase === 'uploading' && (
          <button type="button" className="secondary" onClick={cancel}>
            Cancel upload
          </button>
        )}
      </div>
      {progress && (
        <div className="upload-progress">
          <label htmlFor={`${ids}-progress`}>Upload progress</label>
          <progress id={`${ids}-progress`} max={progress.total} value={progress.loaded}>
            {percent}%
          </progress>
          <span aria-hidden="true">{percent}%</span>
        </div>
      )}
      <p
        role="status"
        aria-live="polite"
        className={phase === 'idle' && outcome?.ok ? 'status ok' : 'status'}
      >
        {phase === 'idle' ? outcome?.text : phaseText[phase]}
      </p>
    </form>
  );
}
