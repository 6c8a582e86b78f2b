import { ForbiddenMessage } from './_components/forbidden-message';

/** 403 for any console page whose role check calls forbidden() (lib/http/page-access). */
export default function Forbidden() {
  return <ForbiddenMessage />;
}
