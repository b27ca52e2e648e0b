/** A failure shown where it happened (nothing when there is none); `role="alert"` so screen readers say it. */
export const InlineError = ({ message, id }: { message: string | undefined; id?: string }) =>
  message ? (
    <div className="inline-error" role="alert" id={id}>
      {message}
    </div>
  ) : null;
