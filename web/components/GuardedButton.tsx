// A button for something the signed-in role may not be allowed to do: disabled, with the reason as
// its tooltip, which is also its accessible description (the server refuses it anyway).
import type { ButtonHTMLAttributes } from 'react';

export function GuardedButton({ denied, disabled, title, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { denied: string | null }) {
  return <button type="button" {...props} disabled={disabled || denied !== null} title={denied ?? title} data-denied={denied ?? undefined} />;
}
