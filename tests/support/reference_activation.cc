// Reference implementations: activation operators (see reference_internal.h).
#include "reference_internal.h"

namespace tinymlc::testing {

void RegisterActivationOps(OpRegistry& r) { (void)r; }

}  // namespace tinymlc::testing
