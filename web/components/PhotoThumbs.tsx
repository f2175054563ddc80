// Photos as small thumbnails, each a link that opens the full-size image in a new tab.
import { photoUrl } from '../api/photos.ts';

export function PhotoThumbs({ photos }: { photos: readonly { ref: string; label: string }[] }) {
  if (photos.length === 0) return null;
  return (
    <div className="photo-thumbs">
      {photos.map((photo) => (
        <a key={photo.ref + photo.label} href={photoUrl(photo.ref)} target="_blank" rel="noreferrer" title={photo.label}>
          <img src={photoUrl(photo.ref)} alt={photo.label} loading="lazy" />
        </a>
      ))}
    </div>
  );
}
